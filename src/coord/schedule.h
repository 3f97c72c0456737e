// What one check verdict does to a site, decided apart from applying it: which workflow actions
// follow (verify-down, close, revive) and the site's schedule afterwards (down streak, watch
// step, next check, the verified time, the reference page). Pure and thread-safe; the
// coordinator applies the result in one transaction.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "coord/checker.h"
#include "core/time.h"
#include "store/sites.h"

namespace kz::coord {

struct CheckPolicy {
  int downs_to_verify = 2;  // consecutive down results that verify a takedown
  std::chrono::seconds check_interval{std::chrono::hours(1)};       // while notified, and after
                                                                    // an inconclusive result
  std::chrono::seconds confirm_interval{std::chrono::minutes(10)};  // after a first down result
  std::vector<std::chrono::seconds> watch_schedule;  // after the verified time: revival checks
  bool close_when_verified = true;
};

struct AfterCheck {
  // Workflow actions to apply in order, each with its reason ("verify-down", "close", "revive").
  std::vector<std::pair<std::string, std::string>> actions;
  // The site's schedule once they are applied.
  int down_streak = 0;
  int watch_step = 0;
  int revivals = 0;
  std::optional<Time> next_check_at;
  std::optional<Time> down_verified_at;
  std::string reference_fingerprint;
  bool reporter_hears_again = false;  // a revival: the closure mail is due again later
  bool refused = false;               // the check was refused (an internal address)
};

// The decision for `site` (as it was before the check) given verdict `v` at `now`.
AfterCheck decide_after_check(const store::SiteRecord& site, const CheckVerdict& v,
                              const CheckPolicy& policy, Time now);

}  // namespace kz::coord
