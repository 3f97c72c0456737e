// Sites: what a responder is asked to take down (a URL, or the address of an incident reported
// without one), with the checker's and the notifier's bookkeeping and every check made.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "store/common.h"
#include "store/states.h"

namespace kz::store {

struct SiteRecord {
  Id id = 0;
  Id incident = 0;
  Id report = 0;
  std::string url;
  std::string host;
  SiteState state = SiteState::kNew;
  std::optional<Time> state_at;
  Time created_at{};  // when the message naming it arrived
  // The checker's and the notifier's bookkeeping (migration 007).
  std::string reference_fingerprint;  // the reported page as first seen live
  int down_streak = 0;                // consecutive down checks
  std::optional<Time> next_check_at;  // nullopt: not scheduled
  int watch_step = 0;                 // revival checks done since down_verified
  std::optional<Time> down_verified_at;
  std::optional<Time> first_notified_at;
  std::optional<Time> last_notified_at;
  std::optional<Time> replied_at;
  int revivals = 0;
  std::string org;  // the organisation notified
};

// One fetch of a site by the checker.
struct SiteCheck {
  Id site = 0;
  Time checked_at{};
  CheckOutcome verdict = CheckOutcome::kUnknown;
  std::string reason;
  int http_status = 0;
  std::string final_url;
  std::string error;
  std::string fingerprint;
  std::string title;
  std::string user_agent;
  std::string evidence;
};

// A site waiting for a notice: state new or revived, its incident enriched.
struct NoticeCandidate {
  Id site = 0;
  std::string url;
  SiteState state = SiteState::kNew;
  Id incident = 0;
  Id report = 0;
  std::string ip;
  std::string host;
  Classification cls;
  std::string country;
  std::string route;  // JSON {"to":[...],"cc":[...],"reason":"..."}
  std::optional<Time> first_seen;
  Time reported_at{};
  Time created_at{};  // of the site: when the message naming it arrived
  std::string tlp;
  bool csam = false;
  bool disclose_reporter = false;
  // Filled by the coordinator before planning (not by the store):
  std::vector<std::string>
      evidence;  // log lines and the like naming the site, reporter-side data removed
  std::string reporter_credit;  // "Name <address>" when the reporter allowed disclosure; else ""
  std::string earlier;  // "incident #5 (report #3), closed 2008-04-20": reported to them before
};

class SiteStore {
 public:
  virtual ~SiteStore() = default;

  // True when the site is new (a URL already under the incident is left as it is).
  virtual Result<bool> add_site(Id incident, const std::string& url, const std::string& host,
                                Time at) = 0;
  // kNotFound: no such site.
  virtual Result<SiteRecord> get_site(Id site) = 0;
  virtual Result<std::vector<SiteRecord>> sites_of_report(Id report) = 0;
  virtual Status set_site_state(Id site, SiteState state, Time at) = 0;
  // A site for an incident reported without a URL (coordination works per site): the address.
  virtual Result<Id> ensure_address_site(Id incident) = 0;
  // ensure_address_site() for every incident that has no site yet.
  virtual Status ensure_address_sites() = 0;
  // Sites in one of `states` whose incident has a route, CSAM included (the planner skips them).
  virtual Result<std::vector<NoticeCandidate>> notice_candidates(
      const std::vector<SiteState>& states) = 0;
  // Writes the checker's and notifier's bookkeeping of a site (not its state: set_site_state).
  virtual Status update_site_coord(const SiteRecord& s) = 0;
  // Sites with a check scheduled at or before `now`.
  virtual Result<std::vector<SiteRecord>> sites_due_for_check(Time now) = 0;
  // Sites in one of these states.
  virtual Result<std::vector<SiteRecord>> sites_in_states(const std::vector<SiteState>& states) = 0;
  // Sites first notified in [from, to) (the responder scorecard).
  virtual Result<std::vector<SiteRecord>> sites_first_notified(Time from, Time to) = 0;
  virtual Status add_site_check(const SiteCheck& c) = 0;
  // The checks of a site, in the order they were made.
  virtual Result<std::vector<SiteCheck>> site_checks(Id site) = 0;
};

}  // namespace kz::store
