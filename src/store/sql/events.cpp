// EventLog over the SQL layer.
#include "store/events.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

class SqlEventLog final : public EventLog {
 public:
  explicit SqlEventLog(Connection& c) : c_(c) {}

  Status append_event(const Event& e) override {
    return c_.exec("INSERT INTO events(at,actor,action,subject,detail) VALUES(?1,?2,?3,?4,?5)",
                   e.at, e.actor, e.action, e.subject, e.detail);
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<EventLog> make_event_log(Connection& c) { return std::make_unique<SqlEventLog>(c); }

}  // namespace kz::store::sql
