// Moving sites through the workflow (workflow.h) in the store: every transition is checked,
// recorded as an event with time, actor and reason, and a report is closed when all its sites
// are (and opened again when one revives).
#pragma once

#include <string>

#include "coord/workflow.h"
#include "core/time.h"
#include "store/store.h"

namespace kz::coord {

struct TransitionResult {
  SiteState from;
  SiteState to;
  bool report_closed = false;
  bool report_reopened = false;
};

// kInvalidArgument for a transition the workflow refuses; kNotFound for an unknown site.
Result<TransitionResult> transition_site(store::Store& store, store::Id site, Action action,
                                         const std::string& actor, const std::string& reason,
                                         Time at);

}  // namespace kz::coord
