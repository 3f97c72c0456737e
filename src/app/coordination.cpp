#include "app/coordination.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include "app/enrichment.h"
#include "app/reporter_status.h"
#include "app/search.h"
#include "core/text.h"
#include "core/tlp.h"
#include "intake/mime.h"

namespace kz::app {

coord::MessageTexts stored_message_texts(store::MessageStore& messages) {
  return [&messages](store::Id message) -> Result<std::vector<std::string>> {
    auto raw = messages.message_raw(message);
    if (!raw) return fail(raw.error());
    intake::MimeOptions mo;
    mo.openpgp = false;
    auto parsed = intake::parse_email(*raw, mo);
    std::vector<std::string> texts;
    if (!parsed) return texts;
    for (auto& part : parsed->parts) texts.push_back(std::move(part.text));
    return texts;
  };
}

std::unique_ptr<coord::Coordinator> make_coordinator(store::Database& db, const Config& cfg,
                                                     const Clock& clock) {
  coord::CoordinationConfig c = cfg.coordination;
  if (!cfg.public_url.empty()) {
    // The reporter's status link in acknowledgements: the API's view until the web UI's page.
    const std::string base = cfg.public_url + "/api/v1/status?token=";
    c.status_link = [&db, &clock, base,
                     lifetime = cfg.status_link_lifetime](store::Id report) -> Result<std::string> {
      auto token = make_status_link(db, clock.now(), report, lifetime);
      if (!token) return fail(token.error());
      return base + *token;
    };
  }
  return std::make_unique<coord::Coordinator>(coord::CoordinationStores::of(db), std::move(c),
                                              clock, stored_message_texts(db.messages()));
}

Status prepare_coordination(store::Database& db, const Config& cfg, const Clock& clock) {
  if (auto r = enrich_store(cfg, clock, db, false); !r) return fail(r.error());
  return db.sites().ensure_address_sites();
}

namespace {

// A mail address as a handler types it: one @, no space or control character, at most 254 bytes.
bool plain_address(std::string_view a) {
  if (a.empty() || a.size() > 254 || std::count(a.begin(), a.end(), '@') != 1) return false;
  if (a.front() == '@' || a.back() == '@') return false;
  return std::none_of(a.begin(), a.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' ||
           c == ';';
  });
}

}  // namespace

Result<store::Id> write_mail(store::Database& db, const Config& cfg, const Clock& clock,
                             const Acting& who, const MailRequest& mail) {
  const std::string subject = one_line(trim(mail.subject));
  if (subject.empty() || utf8_length(subject) > 200) {
    return fail(Error::InvalidArgument("a subject of 1 to 200 characters, please"));
  }
  if (trim(mail.body).empty() || mail.body.size() > kMaxNoteBytes ||
      first_invalid_utf8(mail.body) != std::string::npos) {
    return fail(Error::InvalidArgument("the text: UTF-8, not empty, at most 64 KiB"));
  }
  if (!mail.language.empty() && mail.language != "ja" && mail.language != "en") {
    return fail(Error::InvalidArgument("language is ja or en", mail.language));
  }
  if (mail.to.empty()) {
    return fail(Error::InvalidArgument("say who to write to: reporter, responders or addresses"));
  }
  auto report = visible_report(db, who, mail.report);
  if (!report) return fail(report.error());
  coord::FreeMail out;
  out.report = mail.report;
  out.subject = subject;
  out.body = mail.body;
  out.actor = who.actor;
  out.approve = mail.approve;
  const bool to_reporter = std::find(mail.to.begin(), mail.to.end(), "reporter") != mail.to.end();
  if (to_reporter && mail.to.size() > 1) {
    return fail(Error::InvalidArgument(
        "write to the reporter in a mail of its own: the others must not learn who reported"));
  }
  if (to_reporter) {
    auto contact = db.reporters().reporter_contact(mail.report);
    if (!contact) return fail(contact.error());
    if (contact->address.empty()) {
      return fail(Error::InvalidArgument("this report has no reporter address to write to"));
    }
    if (contact->reporter_mail && !contact->reporter_mail->empty()) {
      return fail(Error::InvalidArgument("the reporter is not mailed: " + *contact->reporter_mail));
    }
    out.audience = store::Audience::kReporter;
    out.to = {contact->address};
    out.language = contact->tld == "jp" ? "ja" : "en";
  } else {
    if (report->csam) {
      return fail(Error::InvalidArgument(
          "a CSAM report goes to the hotline route, never to a responder by mail"));
    }
    if (is_tlp_red(effective_tlp(report->tlp, cfg.default_tlp))) {
      return fail(Error::InvalidArgument(
          "the report is TLP:RED: nothing about it leaves the centre but to its reporter"));
    }
    out.audience = store::Audience::kResponder;
    for (const auto& t : mail.to) {
      if (t == "responders") {
        auto notices = db.outbox().notices_of_report(mail.report);
        if (!notices) return fail(notices.error());
        size_t before = out.to.size();
        for (const auto& n : *notices) {
          if (n.audience != store::Audience::kResponder) continue;
          if (n.status != store::NoticeStatus::kSent && n.status != store::NoticeStatus::kApproved)
            continue;
          for (const auto& a : n.to) {
            if (std::find(out.to.begin(), out.to.end(), a) == out.to.end()) out.to.push_back(a);
          }
        }
        if (out.to.size() == before) {
          return fail(Error::InvalidArgument(
              "no responder has been notified about this report yet: name the addresses"));
        }
        continue;
      }
      const std::string a = to_lower_ascii(trim(t));
      if (!plain_address(a)) {
        return fail(Error::InvalidArgument("not a mail address (or reporter, responders): " +
                                           std::string(terminal_safe(t, false))));
      }
      if (std::find(out.to.begin(), out.to.end(), a) == out.to.end()) out.to.push_back(a);
    }
    out.language = "en";
  }
  if (!mail.language.empty()) out.language = mail.language;
  auto coordinator = make_coordinator(db, cfg, clock);
  return coordinator->write_mail(out);
}

Result<coord::RoundSummary> worker_round(store::Database& db, coord::Coordinator& coordinator,
                                         const Config& cfg, const Clock& clock, bool plans) {
  // What intake filed since the last round becomes searchable through the index (a search reads
  // the rest by scanning, so this only keeps searches fast).
  if (auto n = fill_missing_search_text(db, cfg, kIndexBatchRows); !n) return fail(n.error());
  if (auto n = index_for_search(db, kIndexRowsPerRound); !n) return fail(n.error());
  if (plans) {
    if (auto p = prepare_coordination(db, cfg, clock); !p) return fail(p.error());
  }
  coordinator.set_plans(plans);
  return coordinator.run_round();
}

Result<std::vector<store::SiteRecord>> sites_of_report(store::Database& db, store::Id report) {
  auto detail = db.queries().report_detail(report);
  if (!detail) return fail(detail.error());
  for (const auto& i : detail->incidents) {
    if (!i.urls.empty()) continue;
    if (auto r = db.sites().ensure_address_site(i.incident.id); !r) return fail(r.error());
  }
  return db.sites().sites_of_report(report);
}

Result<coord::TransitionResult> act_on_site(store::Database& db, store::Id site,
                                            const std::string& action, const std::string& actor,
                                            const std::string& reason, Time now) {
  auto a = coord::parse_action(action);
  if (!a) {
    return fail(
        Error::InvalidArgument("unknown action (notify, reply, takedown-reported, verify-down, "
                               "close, revive, renotify, remind, escalate)",
                               action));
  }
  auto r = coord::transition_site(coord::SiteStores::of(db), site, *a, actor, reason, now);
  if (!r) return fail(r.error());
  if (*a == coord::Action::kTakedownReported) {
    // The responder says it is gone: look now rather than at the next scheduled check.
    auto rec = db.sites().get_site(site);
    if (!rec) return fail(rec.error());
    if (rec->url.find("://") != std::string::npos) {
      rec->next_check_at = now;
      if (auto u = db.sites().update_site_coord(*rec); !u) return fail(u.error());
    }
  }
  return r;
}

Result<OutboxState> plan_notices(store::Database& db, const Config& cfg, const Clock& clock) {
  if (auto p = prepare_coordination(db, cfg, clock); !p) return fail(p.error());
  OutboxState out;
  auto planned = make_coordinator(db, cfg, clock)->plan();
  if (!planned) return fail(planned.error());
  out.planned = *planned;
  auto waiting = db.outbox().notices(store::NoticeStatus::kPlanned);
  if (!waiting) return fail(waiting.error());
  out.waiting = std::move(*waiting);
  auto approved = db.outbox().notices(store::NoticeStatus::kApproved);
  if (!approved) return fail(approved.error());
  out.approved = std::move(*approved);
  return out;
}

Result<std::vector<store::NoticeRecord>> approve_notices(store::Database& db, const Config& cfg,
                                                         const Clock& clock,
                                                         const std::vector<store::Id>& ids,
                                                         bool all, const std::string& actor) {
  std::vector<store::Id> todo = ids;
  if (all) {
    auto planned = db.outbox().notices(store::NoticeStatus::kPlanned);
    if (!planned) return fail(planned.error());
    for (const auto& n : *planned) todo.push_back(n.id);
  }
  if (todo.empty() && !all)
    return fail(Error::InvalidArgument("name the notices to approve, or --all"));
  std::vector<store::NoticeRecord> out;
  if (todo.empty()) return out;
  auto coordinator = make_coordinator(db, cfg, clock);
  for (store::Id id : todo) {
    if (auto r = coordinator->approve(id, actor); !r) return fail(r.error());
    auto n = db.outbox().get_notice(id);
    if (!n) return fail(n.error());
    out.push_back(std::move(*n));
  }
  (void)db.announce_work();  // a waiting worker sends them now (PostgreSQL)
  return out;
}

Status cancel_notice(store::Database& db, const Config& cfg, const Clock& clock, store::Id id,
                     const std::string& actor, const std::string& reason) {
  return make_coordinator(db, cfg, clock)->cancel(id, actor, reason);
}

Status edit_notice(store::Database& db, Time now, store::Id id, const std::string& subject,
                   const std::string& body, const std::string& actor) {
  if (subject.empty() && body.empty()) {
    return fail(Error::InvalidArgument("give a new subject or body"));
  }
  for (const auto* text : {&subject, &body}) {
    if (first_invalid_utf8(*text) != std::string::npos) {
      return fail(Error::InvalidArgument("a notice's text must be UTF-8"));
    }
  }
  return store::in_transaction(db, [&]() -> Status {
    auto n = db.outbox().get_notice(id);
    if (!n) return fail(n.error());
    if (n->status != store::NoticeStatus::kPlanned) {
      return fail(Error::InvalidArgument(
          "only a planned notice can be edited; this one is " + std::string(to_string(n->status)),
          "notice " + std::to_string(id)));
    }
    if (!subject.empty() && !n->tag.empty() && subject.find(n->tag) == std::string::npos) {
      return fail(Error::InvalidArgument("keep the tracking tag " + n->tag +
                                         " in the subject: replies are matched by it"));
    }
    const bool subject_changed = !subject.empty() && subject != n->subject;
    const bool body_changed = !body.empty() && body != n->body;
    if (!subject_changed && !body_changed) return {};
    if (subject_changed) n->subject = subject;
    if (body_changed) n->body = body;
    if (auto s = db.outbox().update_notice(*n); !s) return s;
    return db.events().append_event(
        {now, actor, "notice.edited", "notice:" + std::to_string(id),
         nlohmann::json{{"subject", subject_changed}, {"body", body_changed}}.dump()});
  });
}

Result<NoticeDetail> notice_detail(store::Database& db, store::Id id) {
  auto n = db.outbox().get_notice(id);
  if (!n) return fail(n.error());
  NoticeDetail out{std::move(*n), {}};
  for (const auto* list : {&out.notice.to, &out.notice.cc}) {
    for (const auto& a : *list) {
      auto count = db.outbox().bounce_count(a);
      if (!count) return fail(count.error());
      out.bounces[a] = *count;
    }
  }
  return out;
}

Result<std::pair<Time, Time>> period_of_days(const TimeZone& zone, const std::string& from,
                                             const std::string& to, const std::string& from_name,
                                             const std::string& to_name) {
  auto f = parse_date(from);
  auto t = parse_date(to);
  if (!f) return fail(Error::InvalidArgument(from_name + " must be a date YYYY-MM-DD", from));
  if (!t) return fail(Error::InvalidArgument(to_name + " must be a date YYYY-MM-DD", to));
  const Time start = zone.local_midnight(f->year, f->month, f->day);
  // `to` is inclusive: up to the next local midnight.
  const auto next =
      std::chrono::sys_days(std::chrono::year_month_day{
          std::chrono::year{t->year}, std::chrono::month{t->month}, std::chrono::day{t->day}}) +
      std::chrono::days{1};
  const std::chrono::year_month_day n{next};
  const Time end = zone.local_midnight(static_cast<int>(n.year()), static_cast<unsigned>(n.month()),
                                       static_cast<unsigned>(n.day()));
  if (end <= start) return fail(Error::InvalidArgument(to_name + " is before " + from_name));
  return std::make_pair(start, end);
}

Result<report::Figures> figures(store::Database& db, const Config& cfg, Time from, Time to) {
  auto rows = db.queries().figure_rows(from, to);
  if (!rows) return fail(rows.error());
  return report::figures(*rows, cfg.comprehensive_scan_ports);
}

Result<std::vector<coord::ResponderScore>> responder_scores(store::Database& db, const Config& cfg,
                                                            const TimeZone& zone,
                                                            const std::string& from,
                                                            const std::string& to, Time now) {
  auto a = from.empty() ? std::optional<Time>(Time{}) : parse_iso8601(from, zone);
  auto b =
      to.empty() ? std::optional<Time>(now + std::chrono::seconds(1)) : parse_iso8601(to, zone);
  if (!a || !b)
    return fail(
        Error::InvalidArgument("--from/--to must be dates such as 2008-04-01", from + " " + to));
  if (!to.empty() && to.size() == 10) *b += std::chrono::hours(24);  // a date is inclusive
  if (*b < *a) return fail(Error::InvalidArgument("--to is before --from"));
  auto sites = db.sites().sites_first_notified(*a, *b);
  if (!sites) return fail(sites.error());
  auto notices = db.outbox().notices_sent(*a, *b);
  if (!notices) return fail(notices.error());
  coord::BusinessCalendar calendar =
      coord::BusinessCalendar::japan(cfg.coordination.year_end_closure);
  (void)calendar.configure(cfg.coordination.calendar_days);
  const Time start = from.empty() && !sites->empty() ? *sites->front().first_notified_at : *a;
  Time end = std::min(*b, now);
  if (to.empty()) {
    Time last = start;
    for (const auto& site : *sites) {
      if (site.first_notified_at) last = std::max(last, *site.first_notified_at);
      if (site.down_verified_at) last = std::max(last, *site.down_verified_at);
    }
    for (const auto& n : *notices) {
      if (n.sent_at) last = std::max(last, *n.sent_at);
    }
    end = std::min(end, last + std::chrono::seconds(1));
  }
  return coord::score_responders(*sites, *notices, start, end, calendar, zone);
}

}  // namespace kz::app
