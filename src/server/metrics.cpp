#include "server/metrics.h"

#include <cstdio>

namespace kz::server {

namespace {

// A label value as the exposition format wants it: \, " and newline escaped.
std::string label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Metrics::observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  ++h.count;
  h.sum += seconds;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.counts[i];
      break;
    }
  }
}

std::string Metrics::exposition(
    const std::vector<std::tuple<std::string, std::string, double>>& gauges) const {
  std::string out;
  for (const auto& [name, help, value] : gauges) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " gauge\n";
    out += name + " " + number(value) + "\n";
  }
  std::lock_guard lock(mu_);
  out +=
      "# HELP kizuna_http_requests_total HTTP requests answered, by route pattern, method and "
      "status.\n# TYPE kizuna_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [route, method, status] = key;
    out += "kizuna_http_requests_total{route=\"" + label(route) + "\",method=\"" + label(method) +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out +=
      "# HELP kizuna_http_request_duration_seconds Time from a request read to its answer "
      "made, by route pattern.\n# TYPE kizuna_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    uint64_t cumulative = 0;
    const std::string r = label(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.counts[i];
      out += "kizuna_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"" +
             number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "kizuna_http_request_duration_seconds_bucket{route=\"" + r + "\",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "kizuna_http_request_duration_seconds_sum{route=\"" + r + "\"} " + number(h.sum) + "\n";
    out += "kizuna_http_request_duration_seconds_count{route=\"" + r + "\"} " +
           std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace kz::server
