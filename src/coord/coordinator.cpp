#include "coord/coordinator.h"

#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <map>
#include <set>

#include "coord/masking.h"
#include "coord/schedule.h"
#include "coord/sites.h"
#include "core/ip.h"
#include "core/json_out.h"
#include "core/text.h"
#include "core/url.h"

namespace kz::coord {

namespace {

using nlohmann::json;

std::string site_subject(store::Id site) { return "site:" + std::to_string(site); }
std::string notice_subject(store::Id n) { return "notice:" + std::to_string(n); }

std::string join_list(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

bool is_web_site(const store::SiteRecord& s) { return s.url.find("://") != std::string::npos; }

// Evidence for a notice's site from the texts of the report's first message (masking.h).
std::vector<std::string> evidence_lines(const std::vector<std::string>& texts,
                                        const store::NoticeCandidate& c) {
  std::vector<std::string_view> views(texts.begin(), texts.end());
  return evidence_for_site(views, c.url, c.ip, c.host);
}

[[noreturn]] void crash_here(const std::string& where) {
  // Test hook only: the process dies as it would on a power cut, nothing flushed or committed.
  std::fprintf(stderr, "kizuna: KIZUNA_CRASH_AT=%s: killed\n", where.c_str());
  std::raise(SIGKILL);
  std::abort();
}

}  // namespace

Coordinator::Coordinator(CoordinationStores store, CoordinationConfig config, const Clock& clock,
                         MessageTexts texts)
    : store_(store),
      texts_(std::move(texts)),
      config_(std::move(config)),
      clock_(clock),
      calendar_(BusinessCalendar::japan(config_.year_end_closure)) {
  (void)calendar_.configure(config_.calendar_days);  // validated when the configuration was read
  auto t = TemplateSet::load(config_.templates_dir);
  templates_ = t ? std::move(*t) : TemplateSet::builtin();
}

Status Coordinator::transition(store::Id site, const std::string& action,
                               const std::string& reason) {
  auto a = parse_action(action);
  if (!a) return fail(Error::Internal("unknown action " + action));
  auto r = transition_site(store_.site_stores(), site, *a, config_.actor, reason, now());
  if (!r) return fail(r.error());
  return {};
}

Result<RoundSummary> Coordinator::run_round() {
  RoundSummary s;
  csam_reports_.clear();
  // Each round asks the breaker afresh: a round after an open breaker tries one mail first.
  trial_.reset();
  breaker_open_ = false;
  relay_failures_ = 0;
  if (shared()) {
    if (auto f = forget_ended_workers(); !f) return fail(f.error());
  }
  if (config_.plans) {
    auto ack = acknowledge_reports(&s);
    if (!ack) return fail(ack.error());
    s.acknowledged = *ack;
  }
  if (auto r = first_checks(s); !r) return fail(r.error());
  if (config_.plans) {
    auto planned = plan();
    if (!planned) return fail(planned.error());
    s.planned = *planned;
  }
  if (auto r = send_due(s); !r) return fail(r.error());
  if (auto r = check_due(s); !r) return fail(r.error());
  // A site revived in this round is re-notified in the same round: the responder hears at once.
  // (A worker that does not plan leaves that to the one that does, in its next round.)
  if (s.revived > 0 && config_.plans) {
    auto again = plan();
    if (!again) return fail(again.error());
    s.planned += *again;
    if (auto r = send_due(s); !r) return fail(r.error());
  }
  if (config_.plans) {
    auto told = tell_reporters(&s);
    if (!told) return fail(told.error());
    s.reporters_told = *told;
    if (*told > 0) {
      if (auto r = send_due(s); !r) return fail(r.error());
    }
  }
  return s;
}

// --- shared work ----------------------------------------------------------------------------

namespace {

// "host:pid" of a worker on this host whose process has ended; a worker elsewhere, or a process
// that runs (or whose number was reused), is not known to be gone: its claims wait for the lease.
bool ended_here(const std::string& worker, const std::string& me) {
  const auto colon = worker.rfind(':');
  const auto my_colon = me.rfind(':');
  if (colon == std::string::npos || my_colon == std::string::npos) return false;
  if (worker.compare(0, colon, me, 0, my_colon) != 0 || colon != my_colon) return false;
  char* end = nullptr;
  const long pid = std::strtol(worker.c_str() + colon + 1, &end, 10);
  if (pid <= 0 || *end != '\0') return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0) return errno == ESRCH;
  // A process killed but not yet reaped by its parent (a zombie) has ended too.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

}  // namespace

Status Coordinator::forget_ended_workers() {
  auto workers = store_.jobs.claimants();
  if (!workers) return fail(workers.error());
  for (const auto& w : *workers) {
    if (w == config_.worker || !ended_here(w, config_.worker)) continue;
    if (auto s = store_.tx.begin(); !s) return s;
    if (auto s = store_.jobs.forget(w); !s) {
      store_.tx.rollback();
      return s;
    }
    if (auto s = store_.tx.commit(); !s) return s;
  }
  return {};
}

template <typename Record>
Result<std::vector<Record>> Coordinator::next_turn(
    std::string_view kind, const std::vector<Record>& listed, size_t& next,
    std::vector<store::Id>& taken, const std::function<Result<Record>(store::Id)>& reread,
    const std::function<bool(const Record&, const Record&)>& unchanged) {
  std::vector<store::Id> ids;
  for (size_t i = next; i < listed.size(); ++i) ids.push_back(listed[i].id);
  if (auto b = store_.tx.begin(); !b) return fail(b.error());
  std::vector<Record> turn;
  auto claim = [&]() -> Status {
    auto claimed = store_.jobs.claim(kind, ids, config_.worker, now(), now() + config_.lease,
                                     config_.claim_batch);
    if (!claimed) return fail(claimed.error());
    for (store::Id id : *claimed) {
      // The claimed ids come in the order of `ids`: each lies at or after `next`.
      while (listed[next].id != id) ++next;
      const Record& before = listed[next++];
      taken.push_back(id);
      auto fresh = reread(id);
      if (!fresh) return fail(fresh.error());
      if (unchanged(before, *fresh)) turn.push_back(std::move(*fresh));
    }
    return {};
  };
  if (auto c = claim(); !c) {
    store_.tx.rollback();
    return fail(c.error());
  }
  if (auto c = store_.tx.commit(); !c) return fail(c.error());
  return turn;
}

void Coordinator::release_all(std::string_view kind, const std::vector<store::Id>& ids) {
  // A claim not released ends with its lease: releasing is a courtesy to the other workers.
  if (!store_.tx.begin()) return;
  for (store::Id id : ids) {
    if (!store_.jobs.release(kind, id, config_.worker)) {
      store_.tx.rollback();
      return;
    }
  }
  if (!store_.tx.commit()) store_.tx.rollback();
}

Result<int> Coordinator::check_in_turns(const std::vector<store::SiteRecord>& todo,
                                        RoundSummary& summary) {
  if (!shared()) return check_sites(todo, summary);
  // Listed once a round, claimed in turns from the front. A site another worker holds is its
  // to check; one another worker checked since the listing (it changed) is let go unchecked.
  auto reread = [&](store::Id id) { return store_.sites.get_site(id); };
  auto unchanged = [](const store::SiteRecord& listed, const store::SiteRecord& fresh) {
    return fresh.state == listed.state && fresh.next_check_at == listed.next_check_at &&
           fresh.down_streak == listed.down_streak;
  };
  int checked = 0;
  size_t next = 0;
  while (next < todo.size()) {
    std::vector<store::Id> taken;
    auto turn = next_turn<store::SiteRecord>("check", todo, next, taken, reread, unchanged);
    if (!turn) return fail(turn.error());
    if (taken.empty()) break;
    auto n = check_sites(*turn, summary);
    release_all("check", taken);
    if (!n) return fail(n.error());
    checked += *n;
  }
  return checked;
}

// --- reporters ------------------------------------------------------------------------------

namespace {

std::string reporter_language(const store::ReporterContact& r) {
  return r.tld == "jp" ? "ja" : "en";
}

// Fills the tag into a rendered mail.
void put_tag(store::NoticeRecord& rec) {
  for (auto* text : {&rec.subject, &rec.body}) {
    for (size_t p = 0; (p = text->find("{{tag}}", p)) != std::string::npos;)
      text->replace(p, 7, rec.tag);
  }
}

}  // namespace

Status Coordinator::queue_reporter_mail(store::NoticeKind kind, const store::ReporterContact& r,
                                        const RenderedMail& mail, const std::string& language,
                                        const std::string& reason,
                                        const std::function<Status()>& also) {
  store::NoticeRecord rec;
  rec.kind = kind;
  rec.audience = store::Audience::kReporter;
  rec.report = r.report;
  rec.to = {r.address};
  rec.language = language;
  rec.tag = report_tag(config_.notice, r.report);
  rec.subject = mail.subject;
  rec.body = mail.body;
  rec.reason = reason;
  rec.planned_at = now();
  put_tag(rec);
  // Mails to reporters need no approval: planned and recorded in one transaction, then approved.
  if (auto s = store_.tx.begin(); !s) return s;
  auto id = store_.outbox.add_notice(rec);
  Status st = id ? also() : Status(fail(id.error()));
  if (st) st = store_.tx.commit();
  if (!st) {
    store_.tx.rollback();
    return st;
  }
  return auto_approve(*id, "system:auto");
}

// A message dated up to this far ahead of the clock is taken as sent now: senders' clocks drift
// by minutes, and a report is not turned away for that.
constexpr auto kReporterMailClockSkew = std::chrono::minutes(15);

// The mails to reporters of the last day, per recipient and per domain (the rate limits).
class ReporterMailRates {
 public:
  ReporterMailRates(const CoordinationConfig& config, std::vector<std::string> recent)
      : config_(config) {
    for (auto& a : recent) count(a);
  }
  // Why `address` may not be mailed now; empty when it may.
  std::string refusal(const std::string& address) const {
    const std::string a = to_lower_ascii(address);
    if (auto it = per_address_.find(a); config_.reporter_mails_per_recipient_per_day > 0 &&
                                        it != per_address_.end() &&
                                        it->second >= config_.reporter_mails_per_recipient_per_day)
      return "rate limit: " + std::to_string(it->second) + " mails to " + a + " in 24 hours";
    const std::string d = mail_domain(a);
    if (auto it = per_domain_.find(d); config_.reporter_mails_per_domain_per_day > 0 &&
                                       it != per_domain_.end() &&
                                       it->second >= config_.reporter_mails_per_domain_per_day)
      return "rate limit: " + std::to_string(it->second) + " mails to " + d + " in 24 hours";
    return "";
  }
  void count(const std::string& address) {
    const std::string a = to_lower_ascii(address);
    ++per_address_[a];
    ++per_domain_[mail_domain(a)];
  }

 private:
  const CoordinationConfig& config_;
  std::map<std::string, int> per_address_, per_domain_;
};

Result<ReporterMailRates> Coordinator::reporter_mail_rates() {
  auto recent = store_.reporters.reporter_mail_recipients(now() - std::chrono::hours(24));
  if (!recent) return fail(recent.error());
  return ReporterMailRates(config_, std::move(*recent));
}

std::string Coordinator::reporter_mail_policy(const store::ReporterContact& r) const {
  if (!r.automatic.empty()) return "automatic message (" + r.automatic + ")";
  if (!r.dated_at) return "the message carries no date of its own";
  const auto age = now() - *r.dated_at;
  // A sender's clock a little ahead is not a message from the future.
  if (age < -kReporterMailClockSkew) return "the message is dated in the future";
  if (age > std::chrono::days(config_.reporter_mail_max_age_days))
    return "the message is dated " + std::to_string(age / std::chrono::days(1)) +
           " days before now (reporter_mail_max_age_days = " +
           std::to_string(config_.reporter_mail_max_age_days) + ")";
  return "";
}

Status Coordinator::withhold_reporter_mail(store::Id report, const std::string& reason) {
  if (auto s = store_.tx.begin(); !s) return s;
  Status st = store_.reporters.set_reporter_mail(report, reason);
  if (st)
    st = store_.events.append_event({now(), config_.actor, "report.reporter_mail_withheld",
                                     "report:" + std::to_string(report),
                                     JsonOut().field("reason", reason).done()});
  if (st) st = store_.tx.commit();
  if (!st) store_.tx.rollback();
  return st;
}

Result<int> Coordinator::acknowledge_reports(RoundSummary* summary) {
  // Every report with a reporter's address is decided on once: mailed (acknowledged now, told
  // of the closure later) or not, with the reason, so that an archive imported or a forged
  // sender is never mailed, whatever the configuration says of acknowledgements.
  auto todo = store_.reporters.reports_to_acknowledge();
  if (!todo) return fail(todo.error());
  auto rates = reporter_mail_rates();
  if (!rates) return fail(rates.error());
  int n = 0;
  for (const auto& r : *todo) {
    if (r.received_at > now()) continue;  // a replay of past days: not received yet
    std::string why = reporter_mail_policy(r);
    const bool ack = config_.acknowledge && r.channel == "email" && !r.csam;
    if (why.empty() && ack) why = rates->refusal(r.address);
    if (!why.empty()) {
      if (auto s = withhold_reporter_mail(r.report, why); !s) return fail(s.error());
      if (summary) ++summary->withheld;
      continue;
    }
    if (!ack) {
      if (auto s = store_.reporters.set_reporter_mail(r.report, ""); !s) return fail(s.error());
      continue;
    }
    const std::string lang = reporter_language(r);
    std::string link;
    if (config_.status_link) {
      auto made = config_.status_link(r.report);
      if (!made) return fail(made.error());
      link = *made;
    }
    auto st = queue_reporter_mail(
        store::NoticeKind::kAck, r, render_ack(r, lang, templates_, config_.notice, link), lang,
        "acknowledgement of report " + std::to_string(r.report), [&] {
          auto s = store_.reporters.set_report_acknowledged(r.report, now());
          return s ? store_.reporters.set_reporter_mail(r.report, "") : s;
        });
    if (!st) return fail(st.error());
    rates->count(r.address);
    ++n;
  }
  return n;
}

Result<int> Coordinator::tell_reporters(RoundSummary* summary) {
  if (!config_.tell_reporters) return 0;
  // Reports whose every site is verified down or closed, not told yet.
  auto sites =
      store_.sites.sites_in_states({store::SiteState::kDownVerified, store::SiteState::kClosed});
  if (!sites) return fail(sites.error());
  std::set<store::Id> reports;
  for (const auto& s : *sites) reports.insert(s.report);
  auto rates = reporter_mail_rates();
  if (!rates) return fail(rates.error());
  int n = 0;
  for (store::Id report : reports) {
    auto contact = store_.reporters.reporter_contact(report);
    if (!contact) continue;  // a report without a first message (should not happen)
    if (contact->reporter_told_at || contact->address.empty() || contact->channel == "xarf")
      continue;
    // Withheld when the report came in (too old, automatic): never told either. A report not
    // decided on yet (stored before this rule) is decided now.
    if (contact->reporter_mail && !contact->reporter_mail->empty()) continue;
    if (!contact->reporter_mail && !contact->acknowledged_at) {
      if (std::string why = reporter_mail_policy(*contact); !why.empty()) {
        if (auto s = withhold_reporter_mail(report, why); !s) return fail(s.error());
        if (summary) ++summary->withheld;
        continue;
      }
    }
    auto all = store_.sites.sites_of_report(report);
    if (!all) return fail(all.error());
    std::vector<ClosedSite> closed;
    bool every = !all->empty();
    for (const auto& s : *all) {
      every = every &&
              (s.state == store::SiteState::kDownVerified || s.state == store::SiteState::kClosed);
      closed.push_back({s.url, s.down_verified_at.value_or(s.state_at.value_or(now()))});
    }
    if (!every) continue;
    if (std::string why = rates->refusal(contact->address); !why.empty()) {
      // Not told now; the next round sees it again, once the day's mails are fewer.
      if (summary)
        summary->problems.push_back("report " + std::to_string(report) + ": closure mail waits (" +
                                    why + ")");
      continue;
    }
    const std::string lang = reporter_language(*contact);
    auto st = queue_reporter_mail(
        store::NoticeKind::kClosure, *contact,
        render_closure(*contact, closed, lang, templates_, config_.notice), lang,
        "every site of report " + std::to_string(report) + " verified down",
        [&] { return store_.reporters.set_reporter_told(report, now()); });
    if (!st) return fail(st.error());
    rates->count(contact->address);
    ++n;
  }
  return n;
}

// --- planning ---------------------------------------------------------------------------

Result<std::vector<store::NoticeCandidate>> Coordinator::candidates_with_context(
    const std::vector<store::SiteState>& states) {
  auto cands = store_.sites.notice_candidates(states);
  if (!cands) return fail(cands.error());
  // A site named by a notice planned, approved, bounced or failed is not planned again until a
  // handler cancels the notice (a bounce means the contact must be looked at first).
  static const std::vector<store::NoticeStatus> kBlockingStatuses = {
      store::NoticeStatus::kPlanned, store::NoticeStatus::kApproved, store::NoticeStatus::kBounced,
      store::NoticeStatus::kFailed};
  auto pending = store_.outbox.sites_of_notices_in(kBlockingStatuses);
  if (!pending) return fail(pending.error());
  const std::set<store::Id> busy(pending->begin(), pending->end());
  std::vector<store::NoticeCandidate> out;
  std::map<store::Id, std::vector<std::string>> texts_of_report;
  for (auto& c : *cands) {
    if (busy.count(c.site)) continue;
    if (c.created_at > now()) continue;  // reported after `now` (a replay of past days)
    auto contact = store_.reporters.reporter_contact(c.report);
    if (!contact && contact.error().code != ErrorCode::kNotFound) return fail(contact.error());
    if (contact) {
      if (!c.csam && texts_ && !texts_of_report.count(c.report)) {
        auto texts = texts_(contact->first_message);
        if (!texts) return fail(texts.error());
        texts_of_report[c.report] = std::move(*texts);
      }
      if (!c.csam && texts_) c.evidence = evidence_lines(texts_of_report[c.report], c);
      if (c.disclose_reporter && !contact->address.empty()) {
        c.reporter_credit = contact->name.empty() ? contact->address
                                                  : contact->name + " <" + contact->address + ">";
      }
    }
    if (!c.ip.empty() || !c.host.empty()) {
      auto earlier =
          store_.incidents.earlier_closed_incident(c.ip.empty() ? c.host : c.ip, c.report);
      if (!earlier) return fail(earlier.error());
      if (*earlier) {
        auto inc = store_.incidents.get_incident(**earlier);
        if (!inc) return fail(inc.error());
        c.earlier = "incident #" + std::to_string(inc->id) + " (report #" +
                    std::to_string(inc->report) + ")";
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

Status Coordinator::store_planned(const std::vector<PlannedNotice>& plan,
                                  const std::vector<store::NoticeCandidate>& candidates) {
  std::map<store::Id, const store::NoticeCandidate*> by_site;
  for (const auto& c : candidates) by_site[c.site] = &c;
  for (const auto& p : plan) {
    store::NoticeRecord rec;
    rec.kind = p.kind;
    rec.audience = store::Audience::kResponder;
    rec.org = p.org;
    rec.org_kind = p.org_kind;
    rec.to = p.to;
    rec.cc = p.cc;
    rec.language = p.language;
    rec.subject = p.subject;
    rec.body = p.body;
    rec.reason = p.reason;
    rec.sites = p.sites;
    rec.planned_at = now();
    bool automatic = !config_.auto_approve.empty();
    for (store::Id site : p.sites) {
      const auto* c = by_site[site];
      if (!rec.report) rec.report = c->report;
      const std::string type(to_string(c->cls.type));
      const std::string sub = c->cls.subtype;
      automatic = automatic && (config_.auto_approve.count(type) ||
                                (!sub.empty() && config_.auto_approve.count(sub)) ||
                                config_.auto_approve.count("all"));
    }
    if (auto s = store_.tx.begin(); !s) return s;
    auto id = store_.outbox.add_notice(rec);
    Status st = id ? Status{} : Status(fail(id.error()));
    if (st) {
      rec.id = *id;
      rec.tag = notice_tag(config_.notice, rec.id);
      put_tag(rec);
      st = store_.outbox.update_notice(rec);
    }
    if (st) {
      st = store_.events.append_event({now(), config_.actor, "notice.planned",
                                       notice_subject(rec.id),
                                       json{{"kind", to_string(rec.kind)},
                                            {"to", rec.to},
                                            {"cc", rec.cc},
                                            {"sites", rec.sites},
                                            {"reason", rec.reason}}
                                           .dump()});
    }
    if (st) st = store_.tx.commit();
    if (!st) {
      store_.tx.rollback();
      return st;
    }
    if (automatic) {
      if (auto a = auto_approve(rec.id, "system:auto-approve"); !a) return a;
    }
  }
  return {};
}

Status Coordinator::auto_approve(store::Id id, const std::string& who) {
  auto a = approve(id, who);
  if (a || a.error().code != ErrorCode::kUnavailable) return a;
  // Signing or encryption failed (a key missing, gpg not working): the notice stays planned for
  // a handler, the round goes on, and the event log says why.
  return store_.events.append_event({now(), config_.actor, "notice.approval_failed",
                                     notice_subject(id),
                                     json{{"error", a.error().message}}.dump()});
}

Result<int> Coordinator::plan() {
  int planned = 0;
  // New and revived sites: a notice (sites first checked and found down wait for the second check).
  auto fresh = candidates_with_context({store::SiteState::kNew, store::SiteState::kRevived});
  if (!fresh) return fail(fresh.error());
  std::vector<store::NoticeCandidate> ready;
  for (auto& c : *fresh) {
    auto site = store_.sites.get_site(c.site);
    if (!site) return fail(site.error());
    if (c.state == store::SiteState::kNew && site->down_streak > 0)
      continue;  // looks gone already: confirm first
    ready.push_back(std::move(c));
  }
  auto plan = plan_notices(ready, store::NoticeKind::kNotice, templates_, config_.notice);
  if (auto s = store_planned(plan, ready); !s) return fail(s.error());
  planned += static_cast<int>(plan.size());

  // Unanswered: a reminder after N business days, then the escalation.
  auto waiting =
      candidates_with_context({store::SiteState::kNotified, store::SiteState::kReminded});
  if (!waiting) return fail(waiting.error());
  std::vector<store::NoticeCandidate> remind, escalate;
  for (auto& c : *waiting) {
    auto site = store_.sites.get_site(c.site);
    if (!site) return fail(site.error());
    if (!site->last_notified_at || site->down_streak > 0) continue;
    const double days =
        calendar_.business_days_between(*site->last_notified_at, now(), config_.notice.zone);
    if (c.state == store::SiteState::kNotified && config_.remind_after_business_days > 0 &&
        days >= config_.remind_after_business_days) {
      remind.push_back(std::move(c));
    } else if (c.state == store::SiteState::kReminded && config_.escalate_after_business_days > 0 &&
               days >= config_.escalate_after_business_days) {
      escalate.push_back(std::move(c));
    }
  }
  for (auto [kind, list] : {std::pair<store::NoticeKind, std::vector<store::NoticeCandidate>*>{
                                store::NoticeKind::kReminder, &remind},
                            {store::NoticeKind::kEscalation, &escalate}}) {
    auto p = plan_notices(*list, kind, templates_, config_.notice);
    if (auto s = store_planned(p, *list); !s) return fail(s.error());
    planned += static_cast<int>(p.size());
  }
  return planned;
}

Result<store::Id> Coordinator::write_mail(const FreeMail& mail) {
  store::NoticeRecord rec;
  rec.kind = store::NoticeKind::kMessage;
  rec.audience = mail.audience;
  rec.report = mail.report;
  rec.to = mail.to;
  rec.language = mail.language;
  rec.subject =
      mail.subject.find("{{tag}}") == std::string::npos ? "{{tag}} " + mail.subject : mail.subject;
  rec.body = mail.body;
  rec.reason = "written by " + mail.actor;
  rec.planned_at = now();
  if (auto s = store_.tx.begin(); !s) return fail(s.error());
  auto id = store_.outbox.add_notice(rec);
  Status st = id ? Status{} : Status(fail(id.error()));
  if (st) {
    rec.id = *id;
    rec.tag = mail.audience == store::Audience::kReporter ? report_tag(config_.notice, mail.report)
                                                          : notice_tag(config_.notice, rec.id);
    put_tag(rec);
    st = store_.outbox.update_notice(rec);
  }
  if (st) {
    // The text stays in the outbox; the timeline says who wrote to whom.
    st = store_.events.append_event(
        {now(), mail.actor, "notice.written", notice_subject(rec.id),
         json{{"report", mail.report}, {"audience", to_string(mail.audience)}, {"to", rec.to}}
             .dump()});
  }
  if (st) st = store_.tx.commit();
  if (!st) {
    store_.tx.rollback();
    return fail(st.error());
  }
  if (mail.approve) {
    if (auto a = approve(rec.id, mail.actor); !a) return fail(a.error());
  }
  return rec.id;
}

// --- approval and sending ----------------------------------------------------------------

Status Coordinator::approve(store::Id id, const std::string& handler) {
  auto n = store_.outbox.get_notice(id);
  if (!n) return fail(n.error());
  if (n->status != store::NoticeStatus::kPlanned) {
    return fail(Error::InvalidArgument("notice " + std::to_string(id) + " is " +
                                           std::string(to_string(n->status)) + ", not planned",
                                       "notice " + std::to_string(id)));
  }
  // The Message-ID and the bytes are fixed now, so that any later send is the same mail.
  n->message_id = new_message_id(n->id, config_.identity.message_id_domain);
  std::vector<Attachment> attachments;
  if (n->audience == store::Audience::kResponder) {
    using store::SiteState;
    auto cands = store_.sites.notice_candidates(
        {SiteState::kNew, SiteState::kRevived, SiteState::kNotified, SiteState::kReplied,
         SiteState::kReminded, SiteState::kEscalated, SiteState::kTakedownReported});
    if (!cands) return fail(cands.error());
    bool xarf = false;
    for (const auto& c : *cands) {
      if (std::find(n->sites.begin(), n->sites.end(), c.site) == n->sites.end()) continue;
      xarf = xarf || parse_route(c.route).format == "xarf";
    }
    if (xarf) {
      for (const auto& c : *cands) {
        if (std::find(n->sites.begin(), n->sites.end(), c.site) == n->sites.end()) continue;
        attachments.push_back({"xarf-site-" + std::to_string(c.site) + ".json", "application/json",
                               xarf_report(c, config_.notice, config_.identity.from_address)});
      }
    }
  }
  std::string in_reply_to;
  if (n->audience == store::Audience::kReporter && n->report) {
    if (auto contact = store_.reporters.reporter_contact(*n->report))
      in_reply_to = contact->message_id;
  }
  auto mail = compose_mail(*n, attachments, config_.identity, n->message_id, now(), in_reply_to);
  if (!mail) return fail(mail.error());
  n->mime = mail->bytes;
  n->is_signed = mail->is_signed;
  n->encrypted = mail->encrypted;
  n->status = store::NoticeStatus::kApproved;
  n->approved_at = now();
  n->approved_by = handler;
  if (auto s = store_.tx.begin(); !s) return s;
  Status st = store_.outbox.update_notice(*n);
  if (st) {
    st = store_.events.append_event({now(), handler, "notice.approved", notice_subject(id),
                                     json{{"message_id", n->message_id},
                                          {"signed", n->is_signed},
                                          {"encrypted", n->encrypted},
                                          {"attachments", attachments.size()}}
                                         .dump()});
  }
  if (st) st = store_.tx.commit();
  if (!st) store_.tx.rollback();
  return st;
}

Status Coordinator::cancel(store::Id id, const std::string& handler, const std::string& reason) {
  auto n = store_.outbox.get_notice(id);
  if (!n) return fail(n.error());
  if (n->status != store::NoticeStatus::kPlanned && n->status != store::NoticeStatus::kApproved &&
      n->status != store::NoticeStatus::kBounced && n->status != store::NoticeStatus::kFailed) {
    return fail(Error::InvalidArgument("notice " + std::to_string(id) + " is " +
                                       std::string(to_string(n->status)) +
                                       " and cannot be cancelled"));
  }
  n->status = store::NoticeStatus::kCancelled;
  if (auto s = store_.tx.begin(); !s) return s;
  Status st = store_.outbox.update_notice(*n);
  if (st)
    st = store_.events.append_event(
        {now(), handler, "notice.cancelled", notice_subject(id), json{{"reason", reason}}.dump()});
  if (st) st = store_.tx.commit();
  if (!st) store_.tx.rollback();
  return st;
}

Status Coordinator::mark_sent(store::NoticeRecord& n) {
  n.status = store::NoticeStatus::kSent;
  n.sent_at = now();
  n.attempts += 1;
  n.next_attempt_at.reset();
  n.last_error.clear();
  if (auto s = store_.tx.begin(); !s) return s;
  auto body = [&]() -> Status {
    if (auto s = store_.outbox.update_notice(n); !s) return s;
    if (auto s =
            store_.events.append_event({now(), config_.actor, "notice.sent", notice_subject(n.id),
                                        json{{"kind", to_string(n.kind)},
                                             {"to", n.to},
                                             {"cc", n.cc},
                                             {"message_id", n.message_id},
                                             {"attempts", n.attempts}}
                                            .dump()});
        !s) {
      return s;
    }
    if (n.audience != store::Audience::kResponder) return {};
    // What sending does to a site: the action of each kind of notice.
    const std::map<store::NoticeKind, const char*> kByKind = {
        {store::NoticeKind::kNotice, "notify"},
        {store::NoticeKind::kRenotice, "renotify"},
        {store::NoticeKind::kReminder, "remind"},
        {store::NoticeKind::kEscalation, "escalate"}};
    for (store::Id id : n.sites) {
      auto site = store_.sites.get_site(id);
      if (!site) return fail(site.error());
      const auto it = kByKind.find(n.kind);
      std::string action;
      if (it != kByKind.end()) action = it->second;
      if (n.kind == store::NoticeKind::kRenotice && site->state == store::SiteState::kNew)
        action = "notify";
      if (n.kind == store::NoticeKind::kReminder && site->state == store::SiteState::kReplied)
        action.clear();  // answered meanwhile
      if (!action.empty()) {
        auto a = parse_action(action);
        if (a && apply(site->state, *a)) {
          if (auto s = transition(id, action, "notice " + n.tag + " sent to " + join_list(n.to));
              !s)
            return s;
        }
      }
      auto fresh = store_.sites.get_site(id);
      if (!fresh) return fail(fresh.error());
      if (!fresh->first_notified_at) fresh->first_notified_at = now();
      fresh->last_notified_at = now();
      if (!n.org.empty()) fresh->org = n.org;
      if (is_web_site(*fresh) && !fresh->next_check_at)
        fresh->next_check_at = now() + config_.check_interval;
      if (auto s = store_.sites.update_site_coord(*fresh); !s) return s;
    }
    return {};
  }();
  if (body) body = store_.tx.commit();
  if (!body) store_.tx.rollback();
  return body;
}

bool Coordinator::may_send(RoundSummary& summary) {
  if (!config_.smtp_refused.empty()) {
    summary.sending_paused = config_.smtp_refused;
    return false;
  }
  if (config_.breaker_failures <= 0) return true;
  if (!trial_) {
    // First mail of the round: an open breaker from an earlier round (or process) lets one
    // mail through as a trial.
    auto open = store_.settings.setting("smtp.breaker_open");
    trial_ = open && open->has_value();
  }
  if (breaker_open_ && summary.sending_paused.empty())
    summary.sending_paused = "the relay failed earlier in this round";
  return !breaker_open_;
}

void Coordinator::sending_result(const SmtpResult& r, RoundSummary& summary) {
  if (config_.breaker_failures <= 0) return;
  if (!r.relay_down) {
    // The relay answered (accepted, or refused a recipient): it works.
    relay_failures_ = 0;
    if (*trial_) {
      (void)store_.settings.set_setting("smtp.breaker_open", std::nullopt);
      trial_ = false;
    }
    return;
  }
  ++relay_failures_;
  if (!r.timed_out && !*trial_ && relay_failures_ < config_.breaker_failures) return;
  breaker_open_ = true;
  summary.sending_paused =
      (r.timed_out ? "the relay did not answer in time"
       : *trial_   ? "the relay still fails"
                   : std::to_string(relay_failures_) + " relay failures in a row") +
      std::string(" (") + r.error +
      "); sending waits for the next round, which tries one mail first";
  (void)store_.settings.set_setting("smtp.breaker_open", format_utc(now()) + " " + r.error);
}

Result<int> Coordinator::send_due(RoundSummary& summary) {
  auto due = store_.outbox.notices_due(now());
  if (!due) return fail(due.error());
  if (!shared()) return send_notices(*due, summary);
  // As the checks (check_in_turns): listed once, claimed in turns, each re-read; one another
  // worker sent, or tried and set aside, since the listing is let go.
  auto reread = [&](store::Id id) { return store_.outbox.get_notice(id); };
  auto unchanged = [](const store::NoticeRecord& listed, const store::NoticeRecord& fresh) {
    return fresh.status == listed.status && fresh.attempts == listed.attempts;
  };
  int sent = 0;
  size_t next = 0;
  while (next < due->size()) {
    std::vector<store::Id> taken;
    auto turn = next_turn<store::NoticeRecord>("send", *due, next, taken, reread, unchanged);
    if (!turn) return fail(turn.error());
    if (taken.empty()) break;
    const int tried_before = summary.sent + summary.retried + summary.bounced + summary.failed;
    auto n = send_notices(*turn, summary);
    release_all("send", taken);
    if (!n) return fail(n.error());
    sent += *n;
    // The breaker stopped sending (nothing was tried): the notices stay due for a later round.
    if (!turn->empty() &&
        summary.sent + summary.retried + summary.bounced + summary.failed == tried_before)
      break;
  }
  return sent;
}

Result<int> Coordinator::send_notices(std::vector<store::NoticeRecord>& due,
                                      RoundSummary& summary) {
  int sent = 0;
  for (auto& n : due) {
    if (!may_send(summary)) break;
    std::vector<std::string> rcpts = n.to;
    rcpts.insert(rcpts.end(), n.cc.begin(), n.cc.end());
    if (config_.crash_at == "before-send") crash_here(config_.crash_at);
    const SmtpResult r = smtp_send(config_.smtp, config_.identity.from_address, rcpts, n.mime);
    sending_result(r, summary);
    if (r.accepted) {
      if (config_.crash_at == "after-accept") crash_here(config_.crash_at);
      if (auto s = mark_sent(n); !s) return fail(s.error());
      ++summary.sent;
      ++sent;
      continue;
    }
    n.attempts += 1;
    n.last_error = r.error;
    std::string action;
    if (r.permanent && r.relay) {
      n.status = store::NoticeStatus::kFailed;  // the relay refused us (AUTH, TLS): not the
                                                // contact's fault
      n.next_attempt_at.reset();
      action = "notice.failed";
      ++summary.failed;
    } else if (r.permanent) {
      n.status = store::NoticeStatus::kBounced;
      n.next_attempt_at.reset();
      action = "notice.bounced";
      ++summary.bounced;
    } else if (n.attempts >= config_.max_attempts) {
      n.status = store::NoticeStatus::kFailed;
      n.next_attempt_at.reset();
      action = "notice.failed";
      ++summary.failed;
    } else {
      const size_t i =
          std::min(static_cast<size_t>(n.attempts - 1), config_.retry_backoff.size() - 1);
      n.next_attempt_at = now() + config_.retry_backoff[i];
      action = "notice.retry";
      ++summary.retried;
    }
    summary.problems.push_back(
        "notice " + std::to_string(n.id) + ": " + r.error + " (attempt " +
        std::to_string(n.attempts) + " of " + std::to_string(config_.max_attempts) +
        (n.next_attempt_at ? "; next attempt " + format_utc(*n.next_attempt_at)
                           : "; no more attempts") +
        ")");
    if (auto s = store_.tx.begin(); !s) return fail(s.error());
    Status st = store_.outbox.update_notice(n);
    if (st) {
      st = store_.events.append_event(
          {now(), config_.actor, action, notice_subject(n.id),
           json{{"error", r.error}, {"smtp_code", r.code}, {"attempts", n.attempts}}.dump()});
    }
    if (st && r.permanent && !r.relay) {
      for (const auto& a : rcpts) {
        if (st) st = store_.outbox.add_bounce(a, now(), n.id, r.error);
      }
    }
    if (st) st = store_.tx.commit();
    if (!st) {
      store_.tx.rollback();
      return fail(st.error());
    }
  }
  return sent;
}

// --- checks -----------------------------------------------------------------------------

Result<bool> Coordinator::is_csam_report(store::Id report) {
  // Asked for every new and every due site: a report's flag is read once a round.
  if (auto known = csam_reports_.find(report); known != csam_reports_.end()) return known->second;
  auto r = store_.reports.get_report(report);
  if (!r) return fail(r.error());
  csam_reports_[report] = r->csam;
  return r->csam;
}

Result<int> Coordinator::first_checks(RoundSummary& summary) {
  if (!config_.check_sites) return 0;
  // New web sites never checked get a check now: their reference page, or their absence.
  auto fresh = store_.sites.sites_in_states({store::SiteState::kNew});
  if (!fresh) return fail(fresh.error());
  std::vector<store::SiteRecord> todo;
  for (auto& s : *fresh) {
    if (!is_web_site(s) || s.down_streak > 0 || !s.reference_fingerprint.empty() ||
        s.created_at > now())
      continue;
    auto csam = is_csam_report(s.report);  // never fetched: the hotline route
    if (!csam) return fail(csam.error());
    if (*csam) continue;
    if (s.next_check_at && *s.next_check_at > now()) continue;
    auto checks = store_.sites.site_checks(s.id);
    if (!checks) return fail(checks.error());
    if (!checks->empty()) continue;
    todo.push_back(s);
  }
  return check_in_turns(todo, summary);
}

Result<int> Coordinator::check_sites(const std::vector<store::SiteRecord>& todo,
                                     RoundSummary& summary) {
  if (todo.empty()) return 0;
  std::vector<CheckRequest> reqs;
  for (const auto& s : todo) reqs.push_back({s.id, s.url, s.reference_fingerprint});
  Checker checker(config_.checker);
  const auto verdicts = checker.check(reqs, now());
  auto gone = [](store::SiteState state) {
    return state == store::SiteState::kDownVerified || state == store::SiteState::kClosed;
  };
  for (size_t i = 0; i < todo.size(); ++i) {
    if (auto s = apply_check(todo[i], verdicts[i]); !s) return fail(s.error());
    ++summary.checked;
    auto after = store_.sites.get_site(todo[i].id);
    if (!after) return fail(after.error());
    if (after->state == store::SiteState::kRevived && todo[i].state != store::SiteState::kRevived)
      ++summary.revived;
    if (gone(after->state) && !gone(todo[i].state)) ++summary.verified_down;
  }
  if (auto s = record_round(todo, verdicts); !s) return fail(s.error());
  return static_cast<int>(todo.size());
}

Status Coordinator::record_round(const std::vector<store::SiteRecord>& checked,
                                 const std::vector<CheckVerdict>& verdicts) {
  // Per report (a campaign is the sites of one report): what this round saw, and where the
  // report stands, e.g. "11 checked: 5 live, 6 down".
  std::map<store::Id, std::map<std::string, int>> by_report;
  for (size_t i = 0; i < checked.size(); ++i)
    ++by_report[checked[i].report][std::string(to_string(verdicts[i].verdict))];
  for (auto& [report, counts] : by_report) {
    auto sites = store_.sites.sites_of_report(report);
    if (!sites) return fail(sites.error());
    int gone = 0;
    for (const auto& s : *sites)
      gone += s.state == store::SiteState::kDownVerified || s.state == store::SiteState::kClosed;
    json detail{{"checked", 0}, {"sites", sites->size()}, {"verified_down", gone}};
    for (const char* v : {"live", "down", "unknown", "blocked"}) {
      detail[v] = counts[v];
      detail["checked"] = detail["checked"].get<int>() + counts[v];
    }
    if (auto s = store_.events.append_event({now(), config_.actor, "report.checked",
                                             "report:" + std::to_string(report), detail.dump()});
        !s) {
      return s;
    }
  }
  return {};
}

Result<int> Coordinator::check_due(RoundSummary& summary) {
  if (!config_.check_sites) return 0;
  auto due = store_.sites.sites_due_for_check(now());
  if (!due) return fail(due.error());
  std::vector<store::SiteRecord> todo;
  for (auto& s : *due) {
    auto csam = is_csam_report(s.report);
    if (!csam) return fail(csam.error());
    if (is_web_site(s) && !*csam) todo.push_back(s);
  }
  return check_in_turns(todo, summary);
}

Status Coordinator::apply_check(const store::SiteRecord& before, const CheckVerdict& v) {
  // Decided apart (coord/schedule.h), applied here in one transaction.
  const AfterCheck after = decide_after_check(
      before, v,
      CheckPolicy{config_.downs_to_verify, config_.check_interval, config_.confirm_interval,
                  config_.watch_schedule, config_.close_when_verified},
      now());
  if (auto s = store_.tx.begin(); !s) return s;
  auto body = [&]() -> Status {
    for (const auto& f : v.fetches) {
      if (auto s = store_.sites.add_site_check(f); !s) return s;
    }
    if (auto s = store_.events.append_event({now(), config_.actor, "site.checked",
                                             site_subject(before.id),
                                             json{{"verdict", to_string(v.verdict)},
                                                  {"reason", v.reason},
                                                  {"fetches", v.fetches.size()}}
                                                 .dump()});
        !s) {
      return s;
    }
    for (const auto& [action, reason] : after.actions) {
      if (auto r = transition(before.id, action, reason); !r) return r;
    }
    auto fresh = store_.sites.get_site(before.id);
    if (!fresh) return fail(fresh.error());
    store::SiteRecord s = *fresh;
    s.down_streak = after.down_streak;
    s.watch_step = after.watch_step;
    s.revivals = after.revivals;
    s.next_check_at = after.next_check_at;
    s.down_verified_at = after.down_verified_at;
    s.reference_fingerprint = after.reference_fingerprint;
    if (after.reporter_hears_again) {
      if (auto r = store_.reporters.set_reporter_told(s.report, std::nullopt); !r) return r;
    }
    if (after.refused) {
      if (auto r = store_.events.append_event({now(), config_.actor, "site.check_refused",
                                               site_subject(s.id),
                                               json{{"reason", v.reason}, {"url", s.url}}.dump()});
          !r) {
        return r;
      }
    }
    return store_.sites.update_site_coord(s);
  }();
  if (body) body = store_.tx.commit();
  if (!body) store_.tx.rollback();
  return body;
}

// --- replies ----------------------------------------------------------------------------

Result<std::optional<ReplyOutcome>> Coordinator::take_bounce(store::Id message,
                                                             const intake::ParsedMessage& m,
                                                             const ReplyReading& reading) {
  // A delivery status notification (RFC 3464) names the failed recipient and quotes our
  // Message-ID; anything that does not look like one is left to the reply rules.
  if (!reading.delivery_failure) return std::optional<ReplyOutcome>{};
  auto id = store_.outbox.notice_by_message_id(reading.message_ids);
  if (!id) return fail(id.error());
  if (!*id) return std::optional<ReplyOutcome>{};
  auto n = store_.outbox.get_notice(**id);
  if (!n) return fail(n.error());
  std::vector<std::string> failed = reading.failed_recipients;
  if (failed.empty()) {
    failed = n->to;
    failed.insert(failed.end(), n->cc.begin(), n->cc.end());
  }
  const std::string reason =
      !reading.diagnostic.empty()
          ? reading.diagnostic
          : "delivery status notification: " + std::string(utf8_prefix(m.subject, 200));
  n->status = store::NoticeStatus::kBounced;
  n->last_error = reason;
  if (auto s = store_.outbox.update_notice(*n); !s) return fail(s.error());
  for (const auto& a : failed) {
    if (auto s = store_.outbox.add_bounce(a, now(), n->id, reason); !s) return fail(s.error());
  }
  if (auto s = store_.events.append_event(
          {now(), "system:intake", "notice.bounced", notice_subject(n->id),
           json{{"message", message}, {"recipients", failed}, {"reason", reason}}.dump()});
      !s) {
    return fail(s.error());
  }
  ReplyOutcome out;
  out.notice = n->id;
  out.report = n->report.value_or(0);
  out.sites = n->sites;
  if (out.report) {
    if (auto s = store_.reports.attach_message(out.report, message, "reply"); !s)
      return fail(s.error());
  }
  return std::optional<ReplyOutcome>{out};
}

Status Coordinator::note_stranger(store::Id report, store::Id message, const std::string& sender) {
  if (report == 0) return {};
  return store_.events.append_event({now(), "system:intake", "report.tag_from_stranger",
                                     "report:" + std::to_string(report),
                                     json{{"message", message}, {"sender", sender}}.dump()});
}

Result<std::optional<ReplyOutcome>> Coordinator::take_reply(store::Id message,
                                                            const intake::ParsedMessage& m) {
  const ReplyReading reading = read_reply(m, config_.notice.tag_prefix);
  auto bounce = take_bounce(message, m, reading);
  if (!bounce || *bounce) return bounce;
  // The clues: the sent notice its References name, else the notice or report its subject's tag
  // names. file_reply (replies.h) decides; what follows applies its decision.
  ReplyClues clues;
  clues.sender = m.from_address;
  auto by_id = store_.outbox.notice_by_message_id(m.refs);
  if (!by_id) return fail(by_id.error());
  if (*by_id) {
    auto n = store_.outbox.get_notice(**by_id);
    if (!n) return fail(n.error());
    clues.by_message_id = std::move(*n);
  } else {
    if (reading.tagged_notice) {
      auto n = store_.outbox.get_notice(*reading.tagged_notice);
      if (n) {
        clues.tagged_notice = std::move(*n);
      } else if (n.error().code != ErrorCode::kNotFound) {
        return fail(n.error());
      }
    }
    if (reading.tagged_report) {
      auto c = store_.reporters.reporter_contact(*reading.tagged_report);
      if (c) {
        clues.tagged_report = std::move(*c);
      } else if (c.error().code != ErrorCode::kNotFound) {
        return fail(c.error());
      }
    }
  }
  const ReplyFiling filing = file_reply(clues);
  for (store::Id report : filing.strangers) {
    if (auto s = note_stranger(report, message, m.from_address); !s) return fail(s.error());
  }
  if (!filing.notice && !filing.report) return std::optional<ReplyOutcome>{};
  const std::optional<store::Id> report_by_tag = filing.report;
  ReplyOutcome out;
  if (report_by_tag) {
    // The reporter writing back about their report: filed under it as a follow-up.
    auto r = store_.reports.get_report(*report_by_tag);
    if (!r) return std::optional<ReplyOutcome>{};
    // A report merged into another: its matter is that one's now.
    out.report = r->merged_into.value_or(r->id);
    if (auto s = store_.reports.attach_message(out.report, message, "followup"); !s)
      return fail(s.error());
    if (auto s = store_.events.append_event({now(), "system:intake", "report.followup",
                                             "report:" + std::to_string(out.report),
                                             json{{"message", message}, {"by", "tag"}}.dump()});
        !s) {
      return fail(s.error());
    }
    return std::optional<ReplyOutcome>{out};
  }
  auto n = store_.outbox.get_notice(*filing.notice);
  if (!n) return fail(n.error());
  out.notice = n->id;
  out.report = n->report.value_or(0);
  out.sites = n->sites;
  out.closure_words = reply_says_taken_down(m);
  const Time replied = reply_time(m.received, m.date, n->sent_at, now());
  if (auto s = store_.outbox.set_notice_replied(n->id, replied); !s) return fail(s.error());
  std::set<store::Id> reports;
  for (store::Id id : n->sites) {
    auto site = store_.sites.get_site(id);
    if (!site) return fail(site.error());
    reports.insert(site->report);
    if (apply(site->state, Action::kReply)) {
      if (auto s = transition(id, "reply", "reply from " + m.from_address + " to " + n->tag); !s)
        return fail(s.error());
    }
    auto fresh = store_.sites.get_site(id);
    if (!fresh) return fail(fresh.error());
    if (!fresh->replied_at) fresh->replied_at = replied;
    // A reply is a good moment to look: schedule a check now.
    if (is_web_site(*fresh) && fresh->state != store::SiteState::kClosed &&
        fresh->state != store::SiteState::kDownVerified)
      fresh->next_check_at = now();
    if (auto s = store_.sites.update_site_coord(*fresh); !s) return fail(s.error());
    if (out.closure_words) {
      if (auto s = store_.events.append_event(
              {now(), "system:intake", "site.takedown_proposed", site_subject(id),
               json{{"message", message},
                    {"notice", n->id},
                    {"hint", "kizuna site " + std::to_string(id) + " takedown-reported"}}
                   .dump()});
          !s) {
        return fail(s.error());
      }
    }
  }
  for (store::Id r : reports) {
    if (auto s = store_.reports.attach_message(r, message, "reply"); !s) return fail(s.error());
    if (auto s = store_.events.append_event({now(), "system:intake", "report.reply",
                                             "report:" + std::to_string(r),
                                             json{{"message", message},
                                                  {"notice", n->id},
                                                  {"from", m.from_address},
                                                  {"closure_words", out.closure_words}}
                                                 .dump()});
        !s) {
      return fail(s.error());
    }
  }
  return std::optional<ReplyOutcome>{out};
}

}  // namespace kz::coord
