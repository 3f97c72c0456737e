// ReportQueries over the SQL layer: the read side for handlers and the figures of a period.
#include <algorithm>
#include <map>

#include "store/queries.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

// The filters of `reports list` and `incidents list`, shared by the list and its count (which
// binds every parameter but the list's LIMIT, the last). An optional value is tested through a
// CAST: PostgreSQL cannot tell the type of a parameter that appears only in "? IS NULL".
const std::string kReportWhere =
    " WHERE (CAST(?1 AS BIGINT) IS NULL OR r.created_at>=?1) AND"
    " (CAST(?2 AS BIGINT) IS NULL OR r.created_at<?2)"
    " AND (?3='' OR r.type=?3) AND (?4='' OR r.status=?4) AND r.id>?5" +
    red_hidden(6, 7, 8) + " AND (CAST(?9 AS BIGINT) IS NULL OR COALESCE(r.assignee,0)=?9)";
const std::string kIncidentWhere =
    " JOIN reports r ON r.id=i.report WHERE (CAST(?1 AS BIGINT) IS NULL OR r.created_at>=?1) AND "
    "(CAST(?2 AS BIGINT) IS NULL OR r.created_at<?2) AND (?3='' OR i.type=?3) AND "
    "(?4='' OR i.ip=?4) AND (CAST(?5 AS BIGINT) IS NULL OR i.report=?5) AND i.id>?6" +
    red_hidden(7, 8, 9);

using Counts = FigureRows::Counts;

Counts read_counts(Result<Counts>&& r, Status& status) {
  if (!r) {
    status = fail(r.error());
    return {};
  }
  return std::move(*r);
}

class SqlReportQueries final : public ReportQueries {
 public:
  explicit SqlReportQueries(Connection& c) : c_(c) {}

  Result<FigureRows> figure_rows(Time from, Time to) override;

  Result<std::vector<ReportSummary>> list_reports(const ReportFilter& f) override {
    static const std::string sql =
        std::string("SELECT ") + kReportColumns +
        ", (SELECT COALESCE(address,'') FROM reporters WHERE id=r.reporter),"
        " (SELECT COUNT(*) FROM report_messages WHERE report=r.id),"
        " (SELECT COUNT(*) FROM incidents WHERE report=r.id),"
        " (SELECT name FROM users WHERE id=r.assignee) FROM reports r" +
        kReportWhere + " ORDER BY r.id LIMIT ?10";
    return c_.query(
        sql,
        [](const Row& s) {
          ReportSummary r;
          r.report = read_report(s, 0);
          r.reporter_address = s.text(kReportColumnCount);
          r.messages = s.int64(kReportColumnCount + 1);
          r.incidents = s.int64(kReportColumnCount + 2);
          r.assignee_name = s.text(kReportColumnCount + 3);
          return r;
        },
        f.from, f.to, f.type, f.status, f.after, f.hide_red, f.blank_is_red, f.viewer, f.assignee,
        int64_t{f.limit});
  }

  Result<int64_t> count_reports(const ReportFilter& f) override {
    static const std::string sql = "SELECT COUNT(*) FROM reports r" + std::string(kReportWhere);
    auto n = c_.query_int(sql, f.from, f.to, f.type, f.status, f.after, f.hide_red, f.blank_is_red,
                          f.viewer, f.assignee);
    if (!n) return fail(n.error());
    return n->value_or(0);
  }

  Result<std::vector<IncidentSummary>> list_incidents(const IncidentFilter& f) override {
    static const std::string sql =
        std::string(kIncidentSelect) + kIncidentWhere + " ORDER BY i.id LIMIT ?10";
    // SQLite uses no index under "? IS NULL OR i.report=?": with a report given (a report's
    // page), the condition again on its own lets the index on incidents(report) serve it instead
    // of a scan of every incident (bench/http: 105 report pages/s on 80,000 reports before).
    static const std::string of_report =
        std::string(kIncidentSelect) + kIncidentWhere + " AND i.report=?5 ORDER BY i.id LIMIT ?10";
    auto out = c_.query(
        f.report ? of_report : sql,
        [](const Row& r) {
          return IncidentSummary{read_incident(r), {}, {}};
        },
        f.from, f.to, f.type, f.ip, f.report, f.after, f.hide_red, f.blank_is_red, f.viewer,
        int64_t{f.limit});
    if (!out) return out;
    for (auto& i : *out) {
      auto p = c_.query(
          "SELECT proto,port,hits FROM incident_ports WHERE incident=?1 ORDER BY hits DESC, port",
          [](const Row& r) {
            return PortHit{r.text(0), r.integer(1), r.integer(2)};
          },
          i.incident.id);
      if (!p) return fail(p.error());
      i.ports = std::move(*p);
      auto u = c_.query(
          "SELECT url FROM sites WHERE incident=?1 ORDER BY id",
          [](const Row& r) { return r.text(0); }, i.incident.id);
      if (!u) return fail(u.error());
      i.urls = std::move(*u);
    }
    return out;
  }

  Result<int64_t> count_incidents(const IncidentFilter& f) override {
    static const std::string sql = "SELECT COUNT(*) FROM incidents i" + std::string(kIncidentWhere);
    auto n = c_.query_int(sql, f.from, f.to, f.type, f.ip, f.report, f.after, f.hide_red,
                          f.blank_is_red, f.viewer);
    if (!n) return fail(n.error());
    return n->value_or(0);
  }

  Result<ReportDetail> report_detail(Id id) override {
    static const std::string report_sql = kReportSelect + std::string(" WHERE r.id=?1");
    auto rep = c_.query_one(
        report_sql, [](const Row& r) { return read_report(r); }, id);
    if (!rep) return fail(rep.error());
    if (!*rep)
      return fail(Error::NotFound("no report with this number", "report " + std::to_string(id)));
    ReportDetail d;
    d.summary.report = std::move(**rep);
    auto address = c_.query_one(
        "SELECT address FROM reporters WHERE id=?1", [](const Row& r) { return r.text(0); },
        d.summary.report.reporter);
    if (!address) return fail(address.error());
    d.summary.reporter_address = address->value_or("");
    if (d.summary.report.assignee) {
      auto name = c_.query_one(
          "SELECT name FROM users WHERE id=?1", [](const Row& r) { return r.text(0); },
          *d.summary.report.assignee);
      if (!name) return fail(name.error());
      d.summary.assignee_name = name->value_or("");
    }
    auto messages = c_.query(
        "SELECT m.id,m.received_at,m.sender,m.subject,rm.role,m.parse_status,m.signature FROM "
        "messages m JOIN report_messages rm ON rm.message=m.id WHERE rm.report=?1 "
        "ORDER BY m.received_at, m.id",
        [](const Row& s) {
          return MessageSummary{
              s.int64(0),
              s.time(1),
              s.text(2),
              s.text(3),
              s.text(4),
              s.parsed(5, parse_parse_status, ParseStatus::kQuarantined, "parse status"),
              s.text(6)};
        },
        id);
    if (!messages) return fail(messages.error());
    d.messages = std::move(*messages);
    IncidentFilter inf;
    inf.report = id;
    inf.limit = 100000;
    auto inc = list_incidents(inf);
    if (!inc) return fail(inc.error());
    d.incidents = std::move(*inc);
    d.summary.messages = static_cast<int64_t>(d.messages.size());
    d.summary.incidents = static_cast<int64_t>(d.incidents.size());
    auto tags = c_.query(
        kTagsOfReport, [](const Row& r) { return r.text(0); }, id);
    if (!tags) return fail(tags.error());
    d.tags = std::move(*tags);
    auto events = c_.query(
        "SELECT at,actor,action,subject,detail FROM events WHERE subject=?1 OR subject IN "
        "(SELECT 'incident:'||id FROM incidents WHERE report=?2) OR subject IN "
        "(SELECT 'site:'||s.id FROM sites s JOIN incidents i ON i.id=s.incident WHERE i.report=?2) "
        "OR subject IN (SELECT 'notice:'||id FROM notices WHERE report=?2) ORDER BY id",
        [](const Row& s) {
          return Event{s.time(0), s.text(1), s.text(2), s.text(3), s.text(4)};
        },
        "report:" + std::to_string(id), id);
    if (!events) return fail(events.error());
    d.events = std::move(*events);
    auto notes = c_.query(
        kNotesOfReport, [](const Row& r) { return read_note(r); }, id);
    if (!notes) return fail(notes.error());
    d.notes = std::move(*notes);
    return d;
  }

 private:
  // Rows of (key, count) of a query over [from, to).
  Result<Counts> grouped(const char* sql, Time from, Time to) {
    return c_.query(
        sql, [](const Row& r) { return std::make_pair(r.text(0), r.int64(1)); }, from, to);
  }
  Result<int64_t> scalar(const char* sql, Time from, Time to) {
    auto n = c_.query_int(sql, from, to);
    if (!n) return fail(n.error());
    return n->value_or(0);
  }

  Connection& c_;
};

Result<FigureRows> SqlReportQueries::figure_rows(Time from, Time to) {
  FigureRows f;
  for (auto [field, sql] : std::initializer_list<std::pair<int64_t*, const char*>>{
           {&f.messages,
            "SELECT COUNT(*) FROM messages m JOIN report_messages rm ON rm.message=m.id "
            "WHERE m.purpose='incident' AND rm.role<>'reply' AND m.received_at>=?1 AND "
            "m.received_at<?2"},
           {&f.non_incident,
            "SELECT COUNT(*) FROM messages WHERE purpose IN ('question','information',"
            "'consultation') AND received_at>=?1 AND received_at<?2"},
           {&f.notifications,
            // A handler's own mail (kind message) is correspondence, not a notification.
            "SELECT COUNT(*) FROM notices WHERE status='sent' AND audience='responder' AND "
            "kind<>'message' AND sent_at>=?1 AND sent_at<?2"},
           {&f.reporter_mails,
            "SELECT COUNT(*) FROM notices WHERE status='sent' AND audience='reporter' AND "
            "kind<>'message' AND sent_at>=?1 AND sent_at<?2"},
           // A report merged into another is part of it, not a report of its own.
           {&f.reports,
            "SELECT COUNT(*) FROM reports WHERE created_at>=?1 AND created_at<?2 AND "
            "merged_into IS NULL"}}) {
    auto n = scalar(sql, from, to);
    if (!n) return fail(n.error());
    *field = *n;
  }
  Status status;
  f.by_type = read_counts(
      grouped("SELECT i.type, COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report "
              "WHERE r.created_at>=?1 AND r.created_at<?2 GROUP BY i.type",
              from, to),
      status);
  f.reporter_tld = read_counts(
      grouped("SELECT tld, COUNT(*) AS n FROM reports WHERE created_at>=?1 AND created_at<?2 AND "
              "tld<>'' AND merged_into IS NULL GROUP BY tld ORDER BY n DESC, tld",
              from, to),
      status);
  f.phishing_brand_origin = read_counts(
      grouped("SELECT i.brand_origin, COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report "
              "WHERE i.type='phishing' AND r.created_at>=?1 AND r.created_at<?2 "
              "GROUP BY i.brand_origin",
              from, to),
      status);
  f.by_country = read_counts(
      grouped("SELECT i.country, COUNT(*) AS n FROM incidents i JOIN reports r ON r.id=i.report "
              "WHERE r.created_at>=?1 AND r.created_at<?2 AND i.country<>'' GROUP BY i.country "
              "ORDER BY n DESC, i.country",
              from, to),
      status);
  f.by_org_kind = read_counts(
      grouped("SELECT i.org_kind, COUNT(*) FROM incidents i JOIN reports r ON r.id=i.report "
              "WHERE r.created_at>=?1 AND r.created_at<?2 AND i.enriched_version>0 "
              "GROUP BY i.org_kind",
              from, to),
      status);
  f.tags = read_counts(
      grouped("SELECT t.tag, COUNT(*) AS n FROM report_tags t JOIN reports r ON r.id=t.report "
              "WHERE r.created_at>=?1 AND r.created_at<?2 GROUP BY t.tag ORDER BY n DESC, t.tag",
              from, to),
      status);
  if (!status) return fail(status.error());
  auto ports = c_.query(
      "SELECT i.id, p.proto, p.port, p.hits FROM incidents i JOIN reports r ON r.id=i.report "
      "JOIN incident_ports p ON p.incident=i.id WHERE i.type='scan' AND r.created_at>=?1 AND "
      "r.created_at<?2 ORDER BY i.id, p.hits DESC, p.port",
      [](const Row& r) {
        return FigureRows::ScanPort{r.int64(0), r.text(1), r.integer(2), r.int64(3)};
      },
      from, to);
  if (!ports) return fail(ports.error());
  f.scan_ports = std::move(*ports);
  auto asns = c_.query(
      "SELECT i.asn, MAX(i.as_name), COUNT(*) AS n FROM incidents i JOIN reports r ON "
      "r.id=i.report WHERE r.created_at>=?1 AND r.created_at<?2 AND i.asn IS NOT NULL "
      "GROUP BY i.asn ORDER BY n DESC, i.asn",
      [](const Row& r) {
        return FigureRows::Asn{r.int64(0), r.text(1), r.int64(2)};
      },
      from, to);
  if (!asns) return fail(asns.error());
  f.by_asn = std::move(*asns);
  return f;
}

}  // namespace

std::unique_ptr<ReportQueries> make_report_queries(Connection& c) {
  return std::make_unique<SqlReportQueries>(c);
}

}  // namespace kz::store::sql
