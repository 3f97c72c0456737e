// The event log: who did what to which report, incident, site or notice, append only.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/common.h"

namespace kz::store {

struct Event {
  Time at{};
  std::string actor;
  std::string action;
  std::string subject;  // "report:12"
  std::string detail = "{}";
};

// An event as the log keeps it: its number (the order of the log) and the report its subject
// belongs to (a report, or an incident, site, notice or filed message of one), if any.
struct LoggedEvent {
  Id id = 0;
  Event event;
  std::optional<Id> report;
};

// A page of the log (EventLog::events_after), with the caller's view of TLP:RED as the report
// list's (ReportFilter): the events of a hidden report are left out.
struct EventFeed {
  Id after = 0;  // the number of the last event seen
  int limit = 100;
  bool hide_red = false;
  bool blank_is_red = false;
  Id viewer = 0;
  bool reports_only = false;  // leave out events about no report (users, the directory)
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  virtual Status append_event(const Event& e) = 0;
  // The events numbered after `f.after`, oldest first, at most `f.limit`.
  virtual Result<std::vector<LoggedEvent>> events_after(const EventFeed& f) = 0;
};

}  // namespace kz::store
