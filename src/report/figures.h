// The figures of a period, as a quarterly report gives them (`kizuna stats`, docs/cli.md): the
// counts the store keeps, with the centre's rules applied. The rules live here once, for every
// back end and every shell:
//   - a scan incident counts under the port its source was seen on most (ties: the lowest port),
//     or as a comprehensive scan when seen on at least `comprehensive_ports` distinct ports;
//   - phishing brands are domestic, foreign or unknown (any other stored origin is unknown);
//   - organisations are isp, company, school, overseas or other;
//   - every type and bucket is listed, with 0 when nothing fell in it.
//
// Pure and thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/queries.h"

namespace kz::report {

struct Figures {
  int64_t messages = 0;
  int64_t reports = 0;
  int64_t incidents = 0;
  std::map<std::string, int64_t> by_type;  // scan, forged, intrusion, phishing, other
  std::vector<std::pair<std::string, int64_t>> reporter_tld;  // count desc, then name
  struct PortLine {
    std::string proto;
    int port;
    int64_t incidents;
  };
  std::vector<PortLine> scan_ports;  // count desc, then port
  int64_t comprehensive_scans = 0;
  std::map<std::string, int64_t> phishing_brand;  // domestic, foreign, unknown
  int64_t non_incident = 0;
  // Mails sent to responders (re-notices, reminders, escalations included).
  int64_t notifications = 0;
  int64_t reporter_mails = 0;  // acknowledgements and closure mails sent to reporters
  std::vector<std::pair<std::string, int64_t>> tags;        // intrusion methods and actions
  std::vector<std::pair<std::string, int64_t>> by_country;  // incidents, count desc then code
  using AsnLine = store::FigureRows::Asn;
  std::vector<AsnLine> by_asn;
  std::map<std::string, int64_t> by_org_kind;  // isp, company, school, overseas, other
};

Figures figures(const store::FigureRows& rows, int comprehensive_ports);

}  // namespace kz::report
