#include "report/figures.h"

#include <algorithm>
#include <set>

namespace kz::report {

namespace {

// `value` when it is one of `buckets`, else `other`.
std::string bucket_of(const std::string& value, std::initializer_list<const char*> buckets,
                      const char* other) {
  for (const char* b : buckets)
    if (value == b) return value;
  return other;
}

}  // namespace

Figures figures(const store::FigureRows& rows, int comprehensive_ports) {
  Figures f;
  f.messages = rows.messages;
  f.reports = rows.reports;
  f.non_incident = rows.non_incident;
  f.notifications = rows.notifications;
  f.reporter_mails = rows.reporter_mails;
  f.reporter_tld = rows.reporter_tld;
  f.tags = rows.tags;
  f.by_country = rows.by_country;
  f.by_asn = rows.by_asn;

  for (const char* t : {"scan", "forged", "intrusion", "phishing", "other"}) f.by_type[t] = 0;
  for (const auto& [t, n] : rows.by_type) {
    f.by_type[t] += n;
    f.incidents += n;
  }
  for (const char* o : {"domestic", "foreign", "unknown"}) f.phishing_brand[o] = 0;
  for (const auto& [origin, n] : rows.phishing_brand_origin)
    f.phishing_brand[bucket_of(origin, {"domestic", "foreign"}, "unknown")] += n;
  for (const char* k : {"isp", "company", "school", "overseas", "other"}) f.by_org_kind[k] = 0;
  for (const auto& [kind, n] : rows.by_org_kind)
    f.by_org_kind[bucket_of(kind, {"isp", "company", "school", "overseas"}, "other")] += n;

  // Scans: rows come by incident, the port seen most first.
  std::map<std::pair<std::string, int>, int64_t> lines;
  for (size_t i = 0; i < rows.scan_ports.size();) {
    size_t end = i;
    std::set<std::pair<std::string, int>> distinct;
    while (end < rows.scan_ports.size() &&
           rows.scan_ports[end].incident == rows.scan_ports[i].incident) {
      distinct.insert({rows.scan_ports[end].proto, rows.scan_ports[end].port});
      ++end;
    }
    if (static_cast<int>(distinct.size()) >= comprehensive_ports) {
      ++f.comprehensive_scans;
    } else {
      ++lines[{rows.scan_ports[i].proto, rows.scan_ports[i].port}];
    }
    i = end;
  }
  for (const auto& [key, n] : lines) f.scan_ports.push_back({key.first, key.second, n});
  std::sort(f.scan_ports.begin(), f.scan_ports.end(), [](const auto& x, const auto& y) {
    return x.incidents != y.incidents ? x.incidents > y.incidents : x.port < y.port;
  });
  return f;
}

}  // namespace kz::report
