// The coordination use cases, as the command line runs them and the HTTP server will: a worker
// round with its preparation, a handler's action on a site, planning, approving and cancelling
// notices, and the responder scorecard of a period. Each takes the database and the
// configuration; none prints.
//
// Errors: the store's (kUnavailable: retry later), and those named per function.
// Thread-safety: as the Database given (one thread at a time).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/handling.h"
#include "coord/coordinator.h"
#include "coord/scorecard.h"
#include "coord/sites.h"
#include "report/figures.h"
#include "store/database.h"

namespace kz::app {

// The texts of a message stored in `messages`, read with intake's MIME reader (OpenPGP off: the
// evidence is what the reporter wrote in clear). A message that cannot be read has none.
coord::MessageTexts stored_message_texts(store::MessageStore& messages);

// The coordinator of `db` with the configured coordination, quoting evidence from stored texts.
std::unique_ptr<coord::Coordinator> make_coordinator(store::Database& db, const Config& cfg,
                                                     const Clock& clock);

// Before a round or a plan by hand: incidents not enriched yet get their route (nothing can be
// planned without one), and every incident reported without a URL gets its address as a site.
Status prepare_coordination(store::Database& db, const Config& cfg, const Clock& clock);

// Search-index rows one worker round brings up to date at most: about 8 s of SQLite's indexing
// (161 us a message, docs/perf.md "Search"), so that a round after a large import is not held up
// long; the rest waits for the next rounds.
inline constexpr int kIndexRowsPerRound = 50000;

// One worker round: the search text of messages stored before search existed (kIndexBatchRows
// of them), the search index brought up to date, the preparation, then every step of
// coord::Coordinator::run_round. A worker that does not plan (one of several, without the
// scheduler role) skips the preparation.
Result<coord::RoundSummary> worker_round(store::Database& db, coord::Coordinator& coordinator,
                                         const Config& cfg, const Clock& clock, bool plans = true);

// The sites of a report, an incident reported without a URL given its address as a site first.
Result<std::vector<store::SiteRecord>> sites_of_report(store::Database& db, store::Id report);

// A handler's action on a site (notify, reply, takedown-reported, verify-down, close, revive,
// renotify, remind, escalate), recorded with `actor` and `reason`. A takedown the responder
// reports is checked at the next round instead of at its scheduled time. kInvalidArgument: an
// unknown action or one the site's state does not allow; kNotFound: no such site.
Result<coord::TransitionResult> act_on_site(store::Database& db, store::Id site,
                                            const std::string& action, const std::string& actor,
                                            const std::string& reason, Time now);

// What planning left in the outbox: notices waiting for approval, and approved ones not sent.
struct OutboxState {
  int planned = 0;  // by this plan
  std::vector<store::NoticeRecord> waiting;
  std::vector<store::NoticeRecord> approved;
};
// Plans notices for every site new or revived (no fetching: the worker checks new sites first; a
// handler planning by hand sees every routed site).
Result<OutboxState> plan_notices(store::Database& db, const Config& cfg, const Clock& clock);

// Approves the notices `ids`, or with `all` every planned one; returns them as approved (signed,
// encrypted, with their Message-ID). Nothing planned with `all` is no error: an empty list.
// kInvalidArgument: no ids and not `all`; kNotFound: an unknown notice.
Result<std::vector<store::NoticeRecord>> approve_notices(store::Database& db, const Config& cfg,
                                                         const Clock& clock,
                                                         const std::vector<store::Id>& ids,
                                                         bool all, const std::string& actor);
Status cancel_notice(store::Database& db, const Config& cfg, const Clock& clock, store::Id id,
                     const std::string& actor, const std::string& reason);

// A handler's edit of a planned notice before approval: a new subject and/or body (empty: kept).
// The subject must keep the notice's tracking tag (replies are matched by it). Recorded as a
// notice.edited event. kNotFound: no such notice; kInvalidArgument: not planned any more (it is
// signed and sent as approved), nothing to change, no tag, or text that is not UTF-8.
Status edit_notice(store::Database& db, Time now, store::Id id, const std::string& subject,
                   const std::string& body, const std::string& actor);

// A handler's own mail about report `report` (a question to the reporter, a follow-up to the
// responder). `to` holds "reporter", "responders" (every address the report's notices to
// responders went to) or mail addresses; the reporter is never written to in the same mail as
// anyone else (a responder must not learn who reported). A report marked TLP:RED (or unmarked
// under a RED [centre] default_tlp) is written about to its reporter only; a CSAM report to
// nobody. The subject gets the tracking tag; the mail is approved by its writer unless
// `approve` is false, and the worker sends it. Returns the notice's number.
// Errors: kNotFound (the report, as visible_report); kInvalidArgument (no recipient, a bad
// address, an empty or oversized subject or body, the rules above, a reporter who is not mailed).
struct MailRequest {
  store::Id report = 0;
  std::vector<std::string> to;
  std::string subject;
  std::string body;
  std::string language;  // ja | en; empty: the reporter's (ja for a .jp reporter), else en
  bool approve = true;
};
Result<store::Id> write_mail(store::Database& db, const Config& cfg, const Clock& clock,
                             const Acting& who, const MailRequest& mail);

// A notice with the bounces recorded so far against each of its recipients.
struct NoticeDetail {
  store::NoticeRecord notice;
  std::map<std::string, int64_t> bounces;
};
Result<NoticeDetail> notice_detail(store::Database& db, store::Id id);

// The responder scorecard of [from, to] (dates or times in `zone`; a date `to` is inclusive).
// Without `from` the period starts at the first notice; without `to` it ends with the last thing
// that happened (a notice sent, a takedown verified), not with the clock, so the same data
// scores the same whenever it is run. kInvalidArgument: a date that cannot be read, or `to`
// before `from`.
Result<std::vector<coord::ResponderScore>> responder_scores(store::Database& db, const Config& cfg,
                                                            const TimeZone& zone,
                                                            const std::string& from,
                                                            const std::string& to, Time now);

// The period of the days `from` to `to` (YYYY-MM-DD, both inclusive) in `zone`: [local
// midnight of `from`, local midnight after `to`). kInvalidArgument naming `from_name` or
// `to_name` (how the caller calls them: --from, from) for a date that cannot be read, or `to`
// before `from`.
Result<std::pair<Time, Time>> period_of_days(const TimeZone& zone, const std::string& from,
                                             const std::string& to, const std::string& from_name,
                                             const std::string& to_name);

// The figures of [from, to) with the configured comprehensive-scan threshold (report/figures.h).
Result<report::Figures> figures(store::Database& db, const Config& cfg, Time from, Time to);

}  // namespace kz::app
