// The coordination loop: what `kizuna worker` runs each round, and what `kizuna notify`
// does by hand. One round, at the clock's `now`:
//
//   1. acknowledge   new reports received by e-mail get an acknowledgement with their tracking
//                    number (mails to reporters need no approval);
//   2. first checks  new sites with a URL are fetched once before anybody is told (a site already
//                    gone is verified down without a notice, case 5);
//   3. plan          sites new or revived get one notice per responder; sites unanswered after N
//                    business days a reminder, then an escalation. Planned notices wait for a
//                    handler's approval unless their type is approved automatically;
//   4. send          approved notices go out, each written whole (MIME bytes, Message-ID) before
//                    the SMTP transaction and marked sent after it; temporary failures retry with
//                    backoff, a 5xx is a bounce recorded against the contact;
//   5. check         sites due are fetched; two consecutive down results verify the takedown;
//                    verified sites are watched on the revival schedule, and one served again
//                    is reopened and its responder told again;
//   6. tell          a reporter whose sites are all verified down gets a closure mail.
//
// Crash safety: every step commits before the next; a notice is marked sent only after the relay
// accepted it, so a crash in between resends it with the same Message-ID.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "coord/calendar.h"
#include "coord/checker.h"
#include "coord/mail.h"
#include "coord/notices.h"
#include "coord/replies.h"
#include "coord/sites.h"
#include "coord/smtp.h"
#include "core/time.h"
#include "intake/message.h"
#include "store/database.h"

namespace kz::coord {

class ReporterMailRates;

struct CoordinationConfig {
  NoticeOptions notice;
  MailIdentity identity;
  SmtpOptions smtp;
  CheckerOptions checker;
  std::string templates_dir;           // the centre's templates; empty: the shipped ones
  std::set<std::string> auto_approve;  // incident types whose notices need no approval ("phishing")
  bool acknowledge = true;             // acknowledge reports received by e-mail
  // The reporter's status link for a report, put in its acknowledgement; unset (or an empty
  // answer): the acknowledgement has none. Set by app/ when [server] public_url is.
  std::function<Result<std::string>(store::Id report)> status_link;
  bool tell_reporters = true;  // closure mails
  std::string actor = "system:worker";
  // Checks. Off: sites are notified without being fetched and never verified by the checker
  // (a centre without outbound web access; replays of past quarters).
  bool check_sites = true;
  std::chrono::seconds check_interval{std::chrono::hours(1)};  // sites notified and not yet down
  std::chrono::seconds confirm_interval{std::chrono::minutes(10)};  // after a first down result
  int downs_to_verify = 2;
  std::vector<std::chrono::seconds> watch_schedule = {
      std::chrono::hours(1), std::chrono::hours(24), std::chrono::hours(72),
      std::chrono::hours(168), std::chrono::hours(720)};
  bool close_when_verified = true;  // a verified site is closed at once (and still watched)
  // Business days: the Japanese calendar, with these days ("YYYY-MM-DD" closed, "!YYYY-MM-DD"
  // worked) and optionally the year-end closure.
  std::vector<std::string> calendar_days;
  bool year_end_closure = true;
  // Reminders and escalation, in business days since the last notice; 0 turns them off.
  int remind_after_business_days = 3;
  int escalate_after_business_days = 3;  // after the reminder
  // Sending.
  std::vector<std::chrono::seconds> retry_backoff = {
      std::chrono::minutes(1), std::chrono::minutes(5), std::chrono::minutes(15),
      std::chrono::hours(1), std::chrono::hours(4)};
  int max_attempts = 10;
  // Set on a demo database whose relay is not on this machine (app/demo.h): nothing is sent,
  // and this says why.
  std::string smtp_refused;
  // Circuit breaker: this many relay failures in a row (refused, no answer) stop the round's
  // sending; one timeout stops it at once. The next round tries one mail first. 0: off.
  int breaker_failures = 5;
  // Mails to reporters (acknowledgements, closures) only for messages dated (their own
  // Received: or Date:) within this many days of the clock: importing an archive mails no one.
  int reporter_mail_max_age_days = 7;
  // At most this many mails to one reporter address, and to one domain, in 24 hours: the centre
  // cannot be used to mail-bomb a forged From:. 0: no limit.
  int reporter_mails_per_recipient_per_day = 20;
  int reporter_mails_per_domain_per_day = 200;
  // Test hook: "before-send" or "after-accept" kills the process (SIGKILL) at that point of the
  // first notice sent, to prove the outbox survives crashes. Set from KIZUNA_CRASH_AT only.
  std::string crash_at;

  // Several workers on one database (PostgreSQL) share the sends and the site checks: each
  // claims them in turns of `claim_batch` (store/jobs.h) for `lease`, after which another worker
  // may take them over. Empty `worker`: this is the only worker (SQLite), nothing is claimed.
  std::string worker;
  std::chrono::seconds lease{300};
  // Jobs claimed at a time: small enough that a turn (its fetches at their timeouts, its mails)
  // ends well inside the lease, large enough that claiming is a small share of the work.
  size_t claim_batch = 20;
  // Whether this worker also plans: acknowledgements, notices, reminders, closures. With several
  // workers one plans at a time (the "scheduler" role), the others only send and check.
  bool plans = true;
};

struct RoundSummary {
  int acknowledged = 0;
  int planned = 0;
  int approved = 0;
  int sent = 0;
  int retried = 0;
  int bounced = 0;
  int failed = 0;
  int checked = 0;
  int verified_down = 0;
  int revived = 0;
  int reminded = 0;
  int escalated = 0;
  int reporters_told = 0;
  int withheld = 0;  // reporters not mailed (too old, automatic, rate limit)
  // The relay failed too often (breaker_failures) or timed out: the rest waits for the next
  // round. The reason, empty when the breaker is closed.
  std::string sending_paused;
  std::vector<std::string> problems;
};

// A handler's own mail to a party of a report (Coordinator::write_mail). The recipients and the
// rules on who may be written to are the caller's (app/coordination.h write_mail).
struct FreeMail {
  store::Id report = 0;
  store::Audience audience = store::Audience::kResponder;
  std::vector<std::string> to;
  std::string language = "en";  // of the signature and headers compose_mail adds
  std::string subject;          // the tracking tag is put in front unless it holds {{tag}}
  std::string body;
  std::string actor;    // who wrote it (the event log)
  bool approve = true;  // false: planned, for another handler to approve
};

// What a reply did (coordinator's reply hook, called by intake).
struct ReplyOutcome {
  store::Id notice = 0;
  store::Id report = 0;
  std::vector<store::Id> sites;
  bool closure_words = false;  // the reply says the sites are gone: a takedown is proposed
};

// The decoded texts of a stored message (its parts), from which a notice quotes evidence (the
// report's lines naming the site, masked). The coordinator never parses mail itself: the
// application gives it this (app::stored_message_texts). Errors: the store's.
using MessageTexts = std::function<Result<std::vector<std::string>>(store::Id message)>;

// The repositories the coordination loop reads and writes.
struct CoordinationStores {
  store::Transactions& tx;
  store::MessageStore& messages;
  store::ReportStore& reports;
  store::IncidentStore& incidents;
  store::SiteStore& sites;
  store::OutboxStore& outbox;
  store::ReporterStore& reporters;
  store::EventLog& events;
  store::SettingStore& settings;
  store::JobClaims& jobs;

  static CoordinationStores of(store::Database& db) {
    return {db,          db.messages(),  db.reports(), db.incidents(), db.sites(),
            db.outbox(), db.reporters(), db.events(),  db.settings(),  db.jobs()};
  }
  SiteStores site_stores() const { return {tx, sites, reports, events}; }
};

class Coordinator {
 public:
  // Without `texts`, notices quote no evidence.
  Coordinator(CoordinationStores stores, CoordinationConfig config, const Clock& clock,
              MessageTexts texts = {});

  // One whole round (the steps above). Errors of one notice or site are listed in `problems`;
  // a store error stops the round.
  Result<RoundSummary> run_round();
  // Whether the next rounds plan (CoordinationConfig::plans): a standby that takes the scheduler
  // role over starts planning.
  void set_plans(bool plans) { config_.plans = plans; }

  // The steps, for `kizuna notify` and tests.
  Result<int> acknowledge_reports(RoundSummary* summary = nullptr);
  Result<int> first_checks(RoundSummary& summary);
  Result<int> plan();  // returns the number of notices planned
  Status approve(store::Id notice, const std::string& handler);
  Status cancel(store::Id notice, const std::string& handler, const std::string& reason);
  // Queues a handler's own mail (kind message) with the report's tracking tag (a responder's:
  // the notice's own tag, so that the answer is filed as a reply to it), approved by its writer
  // unless `mail.approve` is false; the worker sends it. Returns the notice's number.
  Result<store::Id> write_mail(const FreeMail& mail);
  Result<int> send_due(RoundSummary& summary);
  Result<int> check_due(RoundSummary& summary);
  Result<int> tell_reporters(RoundSummary* summary = nullptr);

  // Is this message a reply to one of our notices (by In-Reply-To/References or the tag in the
  // subject)? If so: the notice's sites are marked replied, closure words propose a takedown,
  // and the report it belongs to is returned (intake files the message under it as a reply).
  Result<std::optional<ReplyOutcome>> take_reply(store::Id message, const intake::ParsedMessage& m);

  const TemplateSet& templates() const { return templates_; }

  // A delivery status notification for one of our notices (`reading` of `m`, see replies.h):
  // the notice is marked bounced and the failed recipients recorded against the contact.
  // Called by take_reply first.
  Result<std::optional<ReplyOutcome>> take_bounce(store::Id message, const intake::ParsedMessage& m,
                                                  const ReplyReading& reading);

 private:
  // Fetches the sites, applies each verdict, counts what changed and records the round.
  Result<int> check_sites(const std::vector<store::SiteRecord>& todo, RoundSummary& summary);
  // The sites of `todo` checked: all at once by the only worker, else in claimed turns.
  Result<int> check_in_turns(const std::vector<store::SiteRecord>& todo, RoundSummary& summary);
  Result<int> send_notices(std::vector<store::NoticeRecord>& due, RoundSummary& summary);
  // The next turn of `kind` jobs from `listed` (from `next` on, in order): up to claim_batch
  // claimed for this worker in one transaction, each re-read by `reread` and kept while
  // `unchanged(listed, fresh)` (another worker did not do it since the listing). `next` moves past
  // the last one claimed; `taken` gets every id claimed, to release. Empty `taken`: none left.
  template <typename Record>
  Result<std::vector<Record>> next_turn(
      std::string_view kind, const std::vector<Record>& listed, size_t& next,
      std::vector<store::Id>& taken, const std::function<Result<Record>(store::Id)>& reread,
      const std::function<bool(const Record&, const Record&)>& unchanged);
  void release_all(std::string_view kind, const std::vector<store::Id>& ids);
  // Drops the claims of workers on this host whose process has ended (a crash, a kill).
  Status forget_ended_workers();
  bool shared() const { return !config_.worker.empty(); }
  Status apply_check(const store::SiteRecord& site, const CheckVerdict& v);
  Status transition(store::Id site, const std::string& action, const std::string& reason);
  Status store_planned(const std::vector<PlannedNotice>& plan,
                       const std::vector<store::NoticeCandidate>& candidates);
  Result<std::vector<store::NoticeCandidate>> candidates_with_context(
      const std::vector<store::SiteState>& states);
  Status mark_sent(store::NoticeRecord& n);
  // approve(), but a signing failure leaves the notice planned (with an event) instead of failing.
  Status auto_approve(store::Id id, const std::string& who);
  Result<bool> is_csam_report(store::Id report);
  // A "report.checked" event per report with the live/down counts of one check round.
  Status record_round(const std::vector<store::SiteRecord>& checked,
                      const std::vector<CheckVerdict>& verdicts);
  // An acknowledgement or closure mail, approved at once; `also` runs in the same transaction.
  Status queue_reporter_mail(store::NoticeKind kind, const store::ReporterContact& r,
                             const RenderedMail& mail, const std::string& language,
                             const std::string& reason, const std::function<Status()>& also);
  // Why the reporter of `r` is not mailed (automatic, no date of its own, too old, dated in the
  // future); empty when they may be.
  std::string reporter_mail_policy(const store::ReporterContact& r) const;
  Result<ReporterMailRates> reporter_mail_rates();
  Status withhold_reporter_mail(store::Id report, const std::string& reason);
  // A "report.tag_from_stranger" event: someone else used the report's tag (for a handler).
  Status note_stranger(store::Id report, store::Id message, const std::string& sender);
  // The circuit breaker over the relay (breaker_failures): may this round send one more mail?
  bool may_send(RoundSummary& summary);
  void sending_result(const SmtpResult& r, RoundSummary& summary);
  Time now() const { return clock_.now(); }

  CoordinationStores store_;
  MessageTexts texts_;
  CoordinationConfig config_;
  const Clock& clock_;
  TemplateSet templates_;
  BusinessCalendar calendar_;
  // The breaker: failures in a row, whether it is open, whether this round's first mail is the
  // trial after an open breaker (read from the store's "smtp.breaker_open" setting).
  int relay_failures_ = 0;
  bool breaker_open_ = false;
  std::optional<bool> trial_;
  std::map<store::Id, bool> csam_reports_;  // is_csam_report's answers this round
};

}  // namespace kz::coord
