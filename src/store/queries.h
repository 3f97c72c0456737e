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

// What the figures of a period are counted from (report::figures applies the rules: the
// buckets, which scans are comprehensive). Counts are over [from, to): messages and mails by their
// own time, everything else by its report's creation.
struct FigureRows {
  using Counts = std::vector<std::pair<std::string, int64_t>>;
  int64_t messages = 0;        // incident reports received (replies not counted)
  int64_t non_incident = 0;    // questions, information, consultations
  int64_t notifications = 0;   // mails sent to responders
  int64_t reporter_mails = 0;  // mails sent to reporters
  int64_t reports = 0;
  Counts by_type;                // incidents per type
  Counts reporter_tld;           // reports per reporter TLD ("" left out), count desc then name
  Counts phishing_brand_origin;  // phishing incidents per stored brand origin
  Counts by_country;             // incidents per country ("" left out), count desc then code
  Counts by_org_kind;            // enriched incidents per stored organisation kind
  Counts tags;                   // reports per tag, count desc then tag
  struct ScanPort {
    Id incident = 0;
    std::string proto;
    int port = 0;
    int64_t hits = 0;
  };
  std::vector<ScanPort> scan_ports;  // of scan incidents, by incident, then hits desc, then port
  struct Asn {
    int64_t asn = 0;
    std::string as_name;
    int64_t incidents = 0;
  };
  std::vector<Asn> by_asn;  // count desc, then number
};

struct ReportFilter {
  std::optional<Time> from;
  std::optional<Time> to;  // exclusive
  std::string type;
  std::string status;
  int limit = 100;
  Id after = 0;           // only reports numbered above this (the next page: the last number shown)
  bool hide_red = false;  // leave out reports marked TLP:RED (for those who may not see them)
  bool blank_is_red =
      false;      // with hide_red: an unmarked report counts as RED ([centre] default_tlp)
  Id viewer = 0;  // with hide_red: a RED report assigned to this user is not left out
  std::optional<Id> assignee;  // only reports assigned to this user; 0: only unassigned ones
};

struct ReportSummary {
  ReportRecord report;
  std::string reporter_address;
  std::string assignee_name;  // "" when unassigned
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
  // As ReportFilter's: leave out the incidents of TLP:RED reports but the viewer's own.
  bool hide_red = false;
  bool blank_is_red = false;
  Id viewer = 0;
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
  ParseStatus parse_status = ParseStatus::kOk;
  std::string signature;
};

struct ReportDetail {
  ReportSummary summary;
  std::vector<MessageSummary> messages;
  std::vector<IncidentSummary> incidents;
  std::vector<std::string> tags;
  std::vector<Event> events;
  std::vector<NoteRecord> notes;  // internal: for the centre's own people only
};

class ReportQueries {
 public:
  virtual ~ReportQueries() = default;

  // What the figures of [from, to) are counted from.
  virtual Result<FigureRows> figure_rows(Time from, Time to) = 0;
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
