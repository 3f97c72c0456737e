// Prometheus metrics of the server (text exposition format 0.0.4): requests by route, method and
// status, and a latency histogram by route. Route labels are patterns, never raw paths, so the
// number of series stays bounded whatever clients send.
//
// Thread-safety: observe() and exposition() may be called from any thread.
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace kz::server {

class Metrics {
 public:
  void observe(const std::string& route, const std::string& method, int status, double seconds);
  // The metrics, with `gauges` (name, help, value; computed by the caller at scrape time) first.
  std::string exposition(
      const std::vector<std::tuple<std::string, std::string, double>>& gauges) const;

 private:
  // Seconds: the API's goals are 10 ms (a report, a queue page) and 50 ms (a search).
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};  // per bucket, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace kz::server
