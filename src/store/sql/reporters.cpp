// ReporterStore over the SQL layer.
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "store/reporters.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

std::string contacts_where(const char* condition) {
  return std::string(
             "SELECT r.id, m.id, COALESCE(p.address,''), COALESCE(p.name,''), r.tld, m.subject, "
             "m.message_id, m.channel, m.received_at, r.acknowledged_at, r.reporter_told_at, "
             "m.dated_at, m.automatic, r.reporter_mail, r.csam FROM reports r "
             "JOIN report_messages rm ON rm.report=r.id AND rm.role='first' "
             "JOIN messages m ON m.id=rm.message LEFT JOIN reporters p ON p.id=r.reporter WHERE ") +
         condition + " ORDER BY r.id";
}

ReporterContact read_contact(const Row& q) {
  ReporterContact c;
  c.report = q.int64(0);
  c.first_message = q.int64(1);
  c.address = q.text(2);
  c.name = q.text(3);
  c.tld = q.text(4);
  c.subject = q.text(5);
  c.message_id = q.text(6);
  c.channel = q.text(7);
  c.received_at = q.time(8);
  c.acknowledged_at = q.opt_time(9);
  c.reporter_told_at = q.opt_time(10);
  c.dated_at = q.opt_time(11);
  c.automatic = q.text(12);
  if (!q.is_null(13)) c.reporter_mail = q.text(13);
  c.csam = q.boolean(14);
  return c;
}

class SqlReporterStore final : public ReporterStore {
 public:
  explicit SqlReporterStore(Connection& c) : c_(c) {}

  Result<Id> upsert_reporter(const ReporterRecord& r) override {
    auto found = c_.query_int("SELECT id FROM reporters WHERE address=?1", r.address);
    if (!found) return fail(found.error());
    if (*found) return **found;
    return c_.insert_returning_id(
        "INSERT INTO reporters(address,name,org_domain,tld,kind,domestic) "
        "VALUES(?1,?2,?3,?4,?5,?6) RETURNING id",
        r.address, r.name, r.org_domain, r.tld, r.kind, r.domestic);
  }

  Result<std::vector<ReporterContact>> reports_to_acknowledge() override {
    static const std::string sql =
        contacts_where("r.acknowledged_at IS NULL AND r.reporter_mail IS NULL AND p.address<>''");
    return c_.query(sql, read_contact);
  }

  Result<ReporterContact> reporter_contact(Id report) override {
    static const std::string sql = contacts_where("r.id=?1");
    auto c = c_.query_one(sql, read_contact, report);
    if (!c) return fail(c.error());
    if (!*c)
      return fail(
          Error::NotFound("no report with this number", "report " + std::to_string(report)));
    return std::move(**c);
  }

  Status set_report_acknowledged(Id report, Time at) override {
    return c_.exec("UPDATE reports SET acknowledged_at=?2 WHERE id=?1", report, at);
  }

  Status set_reporter_told(Id report, std::optional<Time> at) override {
    return c_.exec("UPDATE reports SET reporter_told_at=?2 WHERE id=?1", report, at);
  }

  Status set_reporter_mail(Id report, const std::string& decision) override {
    return c_.exec("UPDATE reports SET reporter_mail=?2 WHERE id=?1", report, decision);
  }

  Result<std::vector<std::string>> reporter_mail_recipients(Time since) override {
    // The first "to" of each mail, read here: JSON functions differ between back ends.
    return c_.query(
        "SELECT recipients FROM notices WHERE audience='reporter' AND planned_at>=?1",
        [](const Row& r) {
          const auto rcpt = nlohmann::json::parse(r.text(0), nullptr, false);
          if (!rcpt.is_object() || !rcpt.contains("to") || !rcpt["to"].is_array() ||
              rcpt["to"].empty() || !rcpt["to"][0].is_string())
            return std::string();
          return to_lower_ascii(rcpt["to"][0].get<std::string>());
        },
        since);
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<ReporterStore> make_reporter_store(Connection& c) {
  return std::make_unique<SqlReporterStore>(c);
}

}  // namespace kz::store::sql
