#include "coord/schedule.h"

namespace kz::coord {

AfterCheck decide_after_check(const store::SiteRecord& site, const CheckVerdict& v,
                              const CheckPolicy& policy, Time now) {
  AfterCheck out;
  out.down_streak = site.down_streak;
  out.watch_step = site.watch_step;
  out.revivals = site.revivals;
  out.next_check_at = site.next_check_at;
  out.down_verified_at = site.down_verified_at;
  out.reference_fingerprint = site.reference_fingerprint;
  if (site.state == store::SiteState::kDownVerified || site.state == store::SiteState::kClosed) {
    // Watching a takedown for a revival.
    if (v.verdict == store::CheckOutcome::kLive) {
      out.actions.push_back({"revive", "served again: " + v.reason});
      out.revivals += 1;
      out.down_streak = 0;
      out.down_verified_at.reset();
      out.watch_step = 0;
      out.next_check_at = now + policy.check_interval;
      out.reporter_hears_again = true;
      return out;
    }
    if (v.verdict == store::CheckOutcome::kDown) ++out.watch_step;
    if (out.watch_step < static_cast<int>(policy.watch_schedule.size()) && out.down_verified_at) {
      out.next_check_at = v.verdict == store::CheckOutcome::kDown
                              ? *out.down_verified_at + policy.watch_schedule[out.watch_step]
                              : now + policy.check_interval;  // inconclusive: soon again
    } else {
      out.next_check_at.reset();  // the watch is over
    }
    return out;
  }
  if (v.verdict == store::CheckOutcome::kLive) {
    out.down_streak = 0;
    if (out.reference_fingerprint.empty()) out.reference_fingerprint = v.fingerprint;
    out.next_check_at = now + policy.check_interval;
  } else if (v.verdict == store::CheckOutcome::kDown) {
    out.down_streak += 1;
    if (out.down_streak >= policy.downs_to_verify) {
      out.actions.push_back(
          {"verify-down", v.reason + " (" + std::to_string(out.down_streak) + " checks)"});
      if (policy.close_when_verified) out.actions.push_back({"close", "takedown verified"});
      out.down_verified_at = now;
      out.watch_step = 0;
      out.next_check_at = now + (policy.watch_schedule.empty() ? policy.check_interval
                                                               : policy.watch_schedule.front());
    } else {
      out.next_check_at = now + policy.confirm_interval;
    }
  } else {
    out.next_check_at = now + policy.check_interval;  // unknown or blocked: neither counts
    out.refused = v.verdict == store::CheckOutcome::kBlocked;
  }
  return out;
}

}  // namespace kz::coord
