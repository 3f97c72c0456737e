// The read side: lists and details for handlers, and the figures of a period.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/common.h"
#include "store/events.h"
#include "store/incidents.h"
#include "store/reports.h"

namespace kz::store {

// The figures a quarterly report needs (see docs/cli.md, `kizuna stats --json`).
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
  int64_t notifications =
      0;  // mails sent to responders (re-notices, reminders, escalations included)
  int64_t reporter_mails = 0;  // acknowledgements and closure mails sent to reporters
  std::vector<std::pair<std::string, int64_t>> tags;        // intrusion methods and actions
  std::vector<std::pair<std::string, int64_t>> by_country;  // incidents, count desc then code
  struct AsnLine {
    int64_t asn;
    std::string as_name;
    int64_t incidents;
  };
  std::vector<AsnLine> by_asn;
  std::map<std::string, int64_t> by_org_kind;  // isp, company, school, overseas, other
};

struct ReportFilter {
  std::optional<Time> from;
  std::optional<Time> to;  // exclusive
  std::string type;
  std::string status;
  int limit = 100;
  Id after = 0;  // only reports numbered above this (the next page: the last number shown)
};

struct ReportSummary {
  ReportRecord report;
  std::string reporter_address;
  int64_t messages = 0;
  int64_t incidents = 0;
};

struct IncidentFilter {
  std::optional<Time> from;
  std::optional<Time> to;
  std::string type;
  std::string ip;
  std::optional<Id> report;
  int limit = 100;
  Id after = 0;  // only incidents numbered above this (the next page)
};

struct IncidentSummary {
  IncidentRecord incident;
  std::vector<PortHit> ports;
  std::vector<std::string> urls;
};

struct MessageSummary {
  Id id = 0;
  Time received_at{};
  std::string sender;
  std::string subject;
  std::string role;
  std::string parse_status;
  std::string signature;
};

struct ReportDetail {
  ReportSummary summary;
  std::vector<MessageSummary> messages;
  std::vector<IncidentSummary> incidents;
  std::vector<std::string> tags;
  std::vector<Event> events;
};

class ReportQueries {
 public:
  virtual ~ReportQueries() = default;

  // Figures over [from, to). `comprehensive_ports`: a scan source seen on at least this many
  // distinct destination ports counts as a comprehensive scan instead of under a port.
  virtual Result<Figures> figures(Time from, Time to, int comprehensive_ports) = 0;
  virtual Result<std::vector<ReportSummary>> list_reports(const ReportFilter& f) = 0;
  // How many reports match `f` (after `f.after`), whatever its limit.
  virtual Result<int64_t> count_reports(const ReportFilter& f) = 0;
  // kNotFound: no such report.
  virtual Result<ReportDetail> report_detail(Id id) = 0;
  virtual Result<std::vector<IncidentSummary>> list_incidents(const IncidentFilter& f) = 0;
  // How many incidents match `f` (after `f.after`), whatever its limit.
  virtual Result<int64_t> count_incidents(const IncidentFilter& f) = 0;
};

}  // namespace kz::store
