// EventLog over the SQL layer.
#include "store/events.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

class SqlEventLog final : public EventLog {
 public:
  explicit SqlEventLog(Connection& c) : c_(c) {}

  Status append_event(const Event& e) override {
    return c_.exec("INSERT INTO events(at,actor,action,subject,detail) VALUES(?1,?2,?3,?4,?5)",
                   e.at, e.actor, e.action, e.subject, e.detail);
  }

  Result<std::vector<LoggedEvent>> events_after(const EventFeed& f) override {
    // The report of each subject; subjects are written by Kizuna ("report:12", "site:40"), so the
    // number after the colon is always one.
    static const std::string sql =
        "SELECT e.id, e.at, e.actor, e.action, e.subject, e.detail, r.id FROM events e "
        "LEFT JOIN reports r ON r.id=CASE "
        "WHEN e.subject LIKE 'report:%' THEN CAST(substr(e.subject, 8) AS BIGINT) "
        "WHEN e.subject LIKE 'incident:%' THEN (SELECT report FROM incidents WHERE "
        "id=CAST(substr(e.subject, 10) AS BIGINT)) "
        "WHEN e.subject LIKE 'site:%' THEN (SELECT i.report FROM sites s JOIN incidents i ON "
        "i.id=s.incident WHERE s.id=CAST(substr(e.subject, 6) AS BIGINT)) "
        "WHEN e.subject LIKE 'notice:%' THEN (SELECT report FROM notices WHERE "
        "id=CAST(substr(e.subject, 8) AS BIGINT)) "
        "WHEN e.subject LIKE 'message:%' THEN (SELECT report FROM report_messages WHERE "
        "message=CAST(substr(e.subject, 9) AS BIGINT)) END "
        "WHERE e.id>?1 AND (?5=0 OR r.id IS NOT NULL) AND (?2=0 OR r.id IS NULL OR "
        "r.assignee=?4 OR " +
        marking_not_red("r.tlp", 3) + ") ORDER BY e.id LIMIT ?6";
    return c_.query(
        sql,
        [](const Row& r) {
          LoggedEvent e;
          e.id = r.int64(0);
          e.event = {r.time(1), r.text(2), r.text(3), r.text(4), r.text(5)};
          e.report = r.opt_int64(6);
          return e;
        },
        f.after, f.hide_red, f.blank_is_red, f.viewer, f.reports_only, int64_t{f.limit});
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<EventLog> make_event_log(Connection& c) { return std::make_unique<SqlEventLog>(c); }

}  // namespace kz::store::sql
