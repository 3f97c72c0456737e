// Column lists and row readers that several repositories share (sql/*.cpp only). Each reader
// reads the columns of the SELECT beside it, in order.
#pragma once

#include <string>

#include "store/incidents.h"
#include "store/reports.h"
#include "store/sites.h"
#include "store/sql/connection.h"

namespace kz::store::sql {

// SQL that is true when the marking `tlp` (an SQL expression) is not TLP:RED; with parameter
// ?BLANK true an empty marking counts as RED ([centre] default_tlp). The same reading of a marking
// as core/tlp.h's is_tlp_red.
inline std::string marking_not_red(const std::string& tlp, int blank) {
  const std::string b = "?" + std::to_string(blank);
  return "(upper(trim(" + tlp + ")) NOT IN ('RED','TLP:RED') AND (" + b + "=0 OR trim(" + tlp +
         ")<>''))";
}

// Leaves out the rows of TLP:RED reports r (with ?HIDE true) but those assigned to ?VIEWER, as
// marking_not_red reads a marking. `hide`, `blank` and `viewer` are the parameter numbers.
inline std::string red_hidden(int hide, int blank, int viewer) {
  return " AND (?" + std::to_string(hide) + "=0 OR r.assignee=?" + std::to_string(viewer) + " OR " +
         marking_not_red("r.tlp", blank) + ")";
}

// Four columns from `col`: type, subtype, rsit_taxonomy, rsit_type.
inline Classification read_classification(const Row& r, int col) {
  Classification c;
  c.type = parse_incident_type(r.text(col)).value_or(IncidentType::kOther);
  c.subtype = r.text(col + 1);
  c.rsit_taxonomy = r.text(col + 2);
  c.rsit_type = r.text(col + 3);
  return c;
}

// The columns of a report, as read_report() reads them.
inline constexpr const char* kReportColumns =
    "r.id,r.created_at,r.status,r.closed_at,r.type,r.subtype,r.rsit_taxonomy,r.rsit_type,"
    "COALESCE(r.reporter,0),r.tld,r.xarf_report_id,r.brand,r.brand_origin,r.tlp,r.csam,"
    "r.linked_report,r.summary,r.disclose_reporter,r.assignee,r.merged_into";
inline constexpr int kReportColumnCount = 20;
inline const std::string kReportSelect =
    std::string("SELECT ") + kReportColumns + " FROM reports r";

// The columns of kReportSelect, from `c`.
inline ReportRecord read_report(const Row& s, int c = 0) {
  ReportRecord r;
  r.id = s.int64(c);
  r.created_at = s.time(c + 1);
  r.status = s.parsed(c + 2, parse_report_status, ReportStatus::kOpen, "report status");
  r.closed_at = s.opt_time(c + 3);
  r.cls = read_classification(s, c + 4);
  r.reporter = s.int64(c + 8);
  r.tld = s.text(c + 9);
  r.xarf_report_id = s.text(c + 10);
  r.brand = s.text(c + 11);
  r.brand_origin = s.text(c + 12);
  r.tlp = s.text(c + 13);
  r.csam = s.boolean(c + 14);
  r.linked_report = s.opt_int64(c + 15);
  r.summary = s.text(c + 16);
  r.disclose_reporter = s.boolean(c + 17);
  r.assignee = s.opt_int64(c + 18);
  r.merged_into = s.opt_int64(c + 19);
  return r;
}

inline constexpr const char* kTagsOfReport =
    "SELECT tag FROM report_tags WHERE report=?1 ORDER BY tag";
inline constexpr const char* kNotesOfReport =
    "SELECT id,report,author,created_at,body FROM report_notes WHERE report=?1 ORDER BY id";

inline NoteRecord read_note(const Row& r) {
  return NoteRecord{r.int64(0), r.int64(1), r.text(2), r.time(3), r.text(4)};
}

inline constexpr const char* kIncidentSelect =
    "SELECT i.id,i.report,COALESCE(i.ip,''),COALESCE(i.host,''),i.type,i.subtype,i.rsit_taxonomy,"
    "i.rsit_type,i.brand,i.brand_origin,i.first_seen,i.created_at FROM incidents i";

inline IncidentRecord read_incident(const Row& s) {
  IncidentRecord i;
  i.id = s.int64(0);
  i.report = s.int64(1);
  i.ip = s.text(2);
  i.host = s.text(3);
  i.cls = read_classification(s, 4);
  i.brand = s.text(8);
  i.brand_origin = s.text(9);
  i.first_seen = s.opt_time(10);
  i.created_at = s.time(11);
  return i;
}

inline constexpr const char* kSiteSelect =
    "SELECT s.id, s.incident, i.report, s.url, s.host, s.state, s.state_at, "
    "s.reference_fingerprint, s.down_streak, s.next_check_at, s.watch_step, s.down_verified_at, "
    "s.first_notified_at, s.last_notified_at, s.replied_at, s.revivals, s.org, s.created_at "
    "FROM sites s JOIN incidents i ON i.id=s.incident ";

inline SiteRecord read_site(const Row& q) {
  SiteRecord r;
  r.id = q.int64(0);
  r.incident = q.int64(1);
  r.report = q.int64(2);
  r.url = q.text(3);
  r.host = q.text(4);
  r.state = q.parsed(5, parse_site_state, SiteState::kClosed, "site state");
  r.state_at = q.opt_time(6);
  r.reference_fingerprint = q.text(7);
  r.down_streak = q.integer(8);
  r.next_check_at = q.opt_time(9);
  r.watch_step = q.integer(10);
  r.down_verified_at = q.opt_time(11);
  r.first_notified_at = q.opt_time(12);
  r.last_notified_at = q.opt_time(13);
  r.replied_at = q.opt_time(14);
  r.revivals = q.integer(15);
  r.org = q.text(16);
  r.created_at = q.time(17);
  return r;
}

}  // namespace kz::store::sql
