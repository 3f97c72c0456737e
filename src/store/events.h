// The event log: who did what to which report, incident, site or notice, append only.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <string>

#include "store/common.h"

namespace kz::store {

struct Event {
  Time at{};
  std::string actor;
  std::string action;
  std::string subject;  // "report:12"
  std::string detail = "{}";
};

class EventLog {
 public:
  virtual ~EventLog() = default;

  virtual Status append_event(const Event& e) = 0;
};

}  // namespace kz::store
