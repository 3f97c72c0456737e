// ReportStore over the SQL layer.
#include "store/reports.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

class SqlReportStore final : public ReportStore {
 public:
  explicit SqlReportStore(Connection& c) : c_(c) {}

  Result<std::optional<Id>> report_by_thread(const std::vector<std::string>& ids) override {
    for (const auto& mid : ids) {
      auto r = c_.query_int(
          "SELECT max(rm.report) FROM messages m JOIN report_messages rm ON rm.message=m.id "
          "WHERE m.message_id=?1",
          mid);
      if (!r || *r) return r;
    }
    return std::optional<Id>{};
  }

  Result<std::optional<Id>> report_by_xarf_id(const std::string& report_id) override {
    return c_.query_int("SELECT max(id) FROM reports WHERE xarf_report_id=?1", report_id);
  }

  Result<std::optional<Id>> open_report_by_url(const std::string& url) override {
    return c_.query_int(
        "SELECT max(r.id) FROM sites s JOIN incidents i ON i.id=s.incident JOIN reports r ON "
        "r.id=i.report WHERE s.url=?1 AND r.status='open'",
        url);
  }

  Result<std::optional<Id>> open_report_by_ip(const std::string& ip, IncidentType type,
                                              Time since) override {
    return c_.query_int(
        "SELECT max(r.id) FROM incidents i JOIN reports r ON r.id=i.report WHERE i.ip=?1 AND "
        "i.type=?2 AND r.status='open' AND r.created_at>=?3",
        ip, to_string(type), since);
  }

  Result<std::optional<Id>> latest_report_on_ip(const std::string& ip) override {
    return c_.query_int("SELECT max(i.report) FROM incidents i WHERE i.ip=?1", ip);
  }

  Result<ReportRecord> get_report(Id id) override {
    static const std::string sql = kReportSelect + std::string(" WHERE r.id=?1");
    auto r = c_.query_one(
        sql, [](const Row& row) { return read_report(row); }, id);
    if (!r) return fail(r.error());
    if (!*r)
      return fail(Error::NotFound("no report with this number", "report " + std::to_string(id)));
    return std::move(**r);
  }

  Result<std::optional<Id>> report_of_message(Id message) override {
    return c_.query_int("SELECT report FROM report_messages WHERE message=?1", message);
  }

  Result<Id> create_report(const ReportRecord& r) override {
    return c_.insert_returning_id(
        "INSERT INTO reports(created_at,status,type,subtype,rsit_taxonomy,rsit_type,reporter,tld,"
        "xarf_report_id,brand,brand_origin,tlp,csam,linked_report,summary,disclose_reporter) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16) RETURNING id",
        r.created_at, to_string(r.status), to_string(r.cls.type), r.cls.subtype,
        r.cls.rsit_taxonomy, r.cls.rsit_type,
        r.reporter ? std::optional<Id>(r.reporter) : std::nullopt, r.tld, r.xarf_report_id, r.brand,
        r.brand_origin, r.tlp, r.csam, r.linked_report, r.summary, r.disclose_reporter);
  }

  Status attach_message(Id report, Id message, const std::string& role) override {
    return c_.exec(
        "INSERT INTO report_messages(report,message,role) VALUES(?1,?2,?3) "
        "ON CONFLICT DO NOTHING",
        report, message, role);
  }

  Status add_tags(Id report, const std::vector<std::string>& tags) override {
    for (const auto& t : tags) {
      if (auto r =
              c_.exec("INSERT INTO report_tags(report,tag) VALUES(?1,?2) ON CONFLICT DO NOTHING",
                      report, t);
          !r)
        return r;
    }
    return {};
  }

  Status set_brand(Id report, const std::string& brand, const std::string& origin) override {
    return c_.exec("UPDATE reports SET brand=?2, brand_origin=?3 WHERE id=?1", report, brand,
                   origin);
  }

  Status set_report_classification(Id report, const Classification& c) override {
    if (auto r = c_.exec(
            "UPDATE reports SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE id=?1",
            report, to_string(c.type), c.subtype, c.rsit_taxonomy, c.rsit_type);
        !r)
      return r;
    return c_.exec(
        "UPDATE incidents SET type=?2, subtype=?3, rsit_taxonomy=?4, rsit_type=?5 WHERE report=?1",
        report, to_string(c.type), c.subtype, c.rsit_taxonomy, c.rsit_type);
  }

  Status set_report_status(Id report, ReportStatus status, Time at) override {
    return c_.exec("UPDATE reports SET status=?2, closed_at=?3 WHERE id=?1", report,
                   to_string(status),
                   status == ReportStatus::kClosed ? std::optional<Time>(at) : std::nullopt);
  }

  Status set_assignee(Id report, std::optional<Id> user) override {
    return c_.exec("UPDATE reports SET assignee=?2 WHERE id=?1", report, user);
  }

  Status set_tlp(Id report, const std::string& tlp) override {
    return c_.exec("UPDATE reports SET tlp=?2 WHERE id=?1", report, tlp);
  }

  Status remove_tags(Id report, const std::vector<std::string>& tags) override {
    for (const auto& t : tags) {
      if (auto r = c_.exec("DELETE FROM report_tags WHERE report=?1 AND tag=?2", report, t); !r)
        return r;
    }
    return {};
  }

  Result<std::vector<std::string>> tags_of(Id report) override {
    return c_.query(
        kTagsOfReport, [](const Row& r) { return r.text(0); }, report);
  }

  Status add_status_link(Id report, const std::string& token_hash, Time created_at,
                         Time expires_at) override {
    return c_.exec(
        "INSERT INTO status_links(report,token_hash,created_at,expires_at) VALUES(?1,?2,?3,?4)",
        report, token_hash, created_at, expires_at);
  }

  Result<std::optional<std::pair<Id, Time>>> status_link(const std::string& token_hash) override {
    return c_.query_one(
        "SELECT report,expires_at FROM status_links WHERE token_hash=?1",
        [](const Row& r) { return std::make_pair(r.int64(0), r.time(1)); }, token_hash);
  }

  Result<Id> add_note(const NoteRecord& n) override {
    return c_.insert_returning_id(
        "INSERT INTO report_notes(report,author,created_at,body) VALUES(?1,?2,?3,?4) RETURNING id",
        n.report, n.author, n.created_at, n.body);
  }

  Result<std::vector<NoteRecord>> notes_of(Id report) override {
    return c_.query(
        kNotesOfReport, [](const Row& r) { return read_note(r); }, report);
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<ReportStore> make_report_store(Connection& c) {
  return std::make_unique<SqlReportStore>(c);
}

}  // namespace kz::store::sql
