// Moving sites through the workflow (workflow.h) in the store: every transition is checked,
// recorded as an event with time, actor and reason, and a report is closed when all its sites
// are (and opened again when one revives).
#pragma once

#include <string>

#include "coord/workflow.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::coord {

struct TransitionResult {
  SiteState from;
  SiteState to;
  bool report_closed = false;
  bool report_reopened = false;
};

// The repositories a site transition writes.
struct SiteStores {
  store::Transactions& tx;
  store::SiteStore& sites;
  store::ReportStore& reports;
  store::EventLog& events;

  static SiteStores of(store::Database& db) { return {db, db.sites(), db.reports(), db.events()}; }
};

// kInvalidArgument for a transition the workflow refuses; kNotFound for an unknown site.
Result<TransitionResult> transition_site(const SiteStores& store, store::Id site, Action action,
                                         const std::string& actor, const std::string& reason,
                                         Time at);

}  // namespace kz::coord
