// Coordination subcommands: sites and their workflow, the outbox (`notify`), the
// worker loop and the responder scorecard. Output keys are documented in docs/cli.md.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include "app/coordination.h"
#include "app/shapes.h"
#include "app/worker.h"
#include "cli/context.h"
#include "cli/messages.h"
#include "coord/coordinator.h"
#include "coord/scorecard.h"
#include "coord/sites.h"
#include "core/text.h"
#include "store/locator.h"

namespace kz::cli {

namespace {

using nlohmann::json;

void print_notice_line(const store::NoticeRecord& n) {
  std::string to;
  for (const auto& a : n.to) to += (to.empty() ? "" : ", ") + a;
  std::printf("#%-5lld %-9s %-10s %-8s %s\n        %s\n", static_cast<long long>(n.id),
              std::string(to_string(n.status)).c_str(), std::string(to_string(n.kind)).c_str(),
              n.language.c_str(), shown(to).c_str(), shown(n.subject).c_str());
}

// --- sites --------------------------------------------------------------------------------

int run_sites_list(const Common& common, int64_t report) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto sites = app::sites_of_report(*s->store, report);
  if (!sites) return report_error(sites.error());
  if (s->ctx.json) {
    json out = json::array();
    for (const auto& site : *sites) out.push_back(app::site_json(site));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& site : *sites) {
    std::printf("[%lld] %-18s %s\n", static_cast<long long>(site.id),
                std::string(to_string(site.state)).c_str(), shown(site.url).c_str());
  }
  return kExitOk;
}

int run_site_action(const Common& common, int64_t site, const std::string& action,
                    const std::string& actor, const std::string& reason) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto r =
      app::act_on_site(*s->store, site, action, handler_name(actor), reason, s->ctx.clock->now());
  if (!r) return report_error(r.error());
  if (s->ctx.json) {
    std::cout << app::transition_json(site, *r).dump(2) << "\n";
  } else {
    const bool ja = s->ctx.lang == "ja";
    std::cout << "site " << site << ": " << coord::to_string(r->from) << " -> "
              << coord::to_string(r->to)
              << (r->report_closed ? (ja ? "  (届出を完了)" : "  (report closed)") : "")
              << (r->report_reopened ? (ja ? "  (届出を再開)" : "  (report reopened)") : "")
              << "\n";
  }
  return kExitOk;
}

int run_site_checks(const Common& common, int64_t site) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto checks = s->store->sites().site_checks(site);
  if (!checks) return report_error(checks.error());
  if (s->ctx.json) {
    json out = json::array();
    for (const auto& c : *checks) out.push_back(app::site_check_json(c));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  if (checks->empty()) std::cout << tr(s->ctx.lang, "checks.none") << "\n";
  for (const auto& c : *checks) {
    std::printf("%s  %-7s %3d  %s\n", s->ctx.zone.format_local(c.checked_at).c_str(),
                std::string(to_string(c.verdict)).c_str(), c.http_status, shown(c.reason).c_str());
  }
  return kExitOk;
}

// --- notify ---------------------------------------------------------------------------------

int run_notify_plan(const Common& common) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto state = app::plan_notices(*s->store, s->ctx.cfg, *s->ctx.clock);
  if (!state) return report_error(state.error());
  const auto* waiting = &state->waiting;
  const auto* approved = &state->approved;
  if (s->ctx.json) {
    json out = json::array();
    for (const auto* list : {waiting, approved}) {
      for (const auto& n : *list) out.push_back(app::notice_json(n, true));
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto* list : {waiting, approved}) {
    for (const auto& n : *list) {
      print_notice_line(n);
      std::printf("        (%zu site(s); %s)\n", n.sites.size(), shown(n.reason).c_str());
    }
  }
  std::cout << waiting->size()
            << (s->ctx.lang == "ja" ? " 通が承認待ち、" : " waiting for approval, ")
            << approved->size()
            << (s->ctx.lang == "ja" ? " 通が送信待ち" : " approved and waiting to be sent") << "\n";
  return kExitOk;
}

int run_notify_list(const Common& common, const std::string& status) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  std::optional<store::NoticeStatus> wanted;
  if (!status.empty()) {
    wanted = store::parse_notice_status(status);
    if (!wanted)
      return report_error(Error::InvalidArgument(
          "unknown status (planned, approved, sent, failed, bounced, cancelled)", status));
  }
  auto list = s->store->outbox().notices(wanted);
  if (!list) return report_error(list.error());
  if (s->ctx.json) {
    json out = json::array();
    for (const auto& n : *list) out.push_back(app::notice_json(n, false));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  for (const auto& n : *list) print_notice_line(n);
  return kExitOk;
}

int run_notify_show(const Common& common, int64_t id) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto detail = app::notice_detail(*s->store, id);
  if (!detail) return report_error(detail.error());
  const store::NoticeRecord* n = &detail->notice;
  if (s->ctx.json) {
    json j = app::notice_json(*n, true);
    j["bounces"] = detail->bounces;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }
  std::string to, cc;
  for (const auto& a : n->to) to += (to.empty() ? "" : ", ") + a;
  for (const auto& a : n->cc) cc += (cc.empty() ? "" : ", ") + a;
  std::cout << "Notice #" << n->id << " (" << to_string(n->kind) << ", " << to_string(n->status)
            << ")\nTo: " << to << "\n";
  if (!cc.empty()) std::cout << "Cc: " << cc << "\n";
  std::cout << "Subject: " << n->subject << "\nWhy: " << n->reason << "\n";
  if (!n->message_id.empty()) std::cout << "Message-ID: <" << n->message_id << ">\n";
  if (n->attempts > 0 || !n->last_error.empty()) {
    const bool ja = s->ctx.lang == "ja";
    std::cout << (ja ? "送信試行: " : "Attempts: ") << n->attempts << "\n"
              << (ja ? "直近のエラー: " : "Last error: ") << n->last_error << "\n";
    if (n->next_attempt_at)
      std::cout << (ja ? "次の試行: " : "Next attempt: ")
                << s->ctx.zone.format_local(*n->next_attempt_at) << "\n";
  }
  std::cout << "\n" << n->body << "\n";
  return kExitOk;
}

int run_notify_approve(const Common& common, const std::vector<int64_t>& ids, bool all,
                       const std::string& actor) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto approved =
      app::approve_notices(*s->store, s->ctx.cfg, *s->ctx.clock, ids, all, handler_name(actor));
  if (!approved) return report_error(approved.error());
  if (approved->empty()) {
    // Nothing planned is not an error: a cron job approving every hour must not fail.
    if (s->ctx.json)
      std::cout << "[]\n";
    else
      std::cout << (s->ctx.lang == "ja" ? "承認待ちの通知はありません\n"
                                        : "nothing to approve: no notice is planned\n");
    return kExitOk;
  }
  json out = json::array();
  for (const auto& n : *approved) {
    out.push_back(app::approval_json(n));
    if (!s->ctx.json) {
      std::printf("#%lld approved <%s>%s%s\n", static_cast<long long>(n.id), n.message_id.c_str(),
                  n.is_signed ? " signed" : "", n.encrypted ? " encrypted" : "");
    }
  }
  if (s->ctx.json) std::cout << out.dump(2) << "\n";
  return kExitOk;
}

int run_notify_cancel(const Common& common, int64_t id, const std::string& reason,
                      const std::string& actor) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (auto r =
          app::cancel_notice(*s->store, s->ctx.cfg, *s->ctx.clock, id, handler_name(actor), reason);
      !r)
    return report_error(r.error());
  if (s->ctx.json) {
    std::cout << json{{"id", id}, {"status", "cancelled"}}.dump(2) << "\n";
  } else {
    std::printf("#%lld cancelled\n", static_cast<long long>(id));
  }
  return kExitOk;
}

int run_notify_edit(const Common& common, int64_t id, const std::string& subject,
                    const std::string& body_file, const std::string& actor) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  std::string body;
  if (!body_file.empty()) {
    std::ifstream in(body_file == "-" ? "/dev/stdin" : body_file, std::ios::binary);
    if (!in) return report_error(Error::Io("cannot read the body file", body_file));
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (auto r =
          app::edit_notice(*s->store, s->ctx.clock->now(), id, subject, body, handler_name(actor));
      !r)
    return report_error(r.error());
  if (s->ctx.json) {
    std::cout << json{{"id", id}, {"status", "planned"}, {"edited", true}}.dump(2) << "\n";
  } else {
    std::printf(s->ctx.lang == "ja" ? "#%lld を編集しました\n" : "#%lld edited\n",
                static_cast<long long>(id));
  }
  return kExitOk;
}

// --- worker ---------------------------------------------------------------------------------

// Everything the JSON summary has, for a person: nothing is visible only in --json.
void print_round(const coord::RoundSummary& r, bool ja) {
  if (ja) {
    std::printf(
        "計画 %d、送信 %d、再送待ち %d、不達 %d、失敗 %d、確認 %d、停止確認 %d、再開 %d、"
        "報告者へ完了連絡 %d、報告者へのメール見送り %d\n",
        r.planned, r.sent, r.retried, r.bounced, r.failed, r.checked, r.verified_down, r.revived,
        r.reporters_told, r.withheld);
  } else {
    std::printf(
        "planned %d, sent %d, to retry %d, bounced %d, failed %d, checked %d, verified "
        "down %d, revived %d, reporters told %d, reporter mails withheld %d\n",
        r.planned, r.sent, r.retried, r.bounced, r.failed, r.checked, r.verified_down, r.revived,
        r.reporters_told, r.withheld);
  }
  if (!r.sending_paused.empty())
    std::printf("  %s %s\n",
                ja ? "送信を一時停止:" : "sending paused:", shown(r.sending_paused).c_str());
  for (const auto& p : r.problems) std::printf("  ! %s\n", shown(p).c_str());
  std::fflush(stdout);
}

// How this worker names itself in its job claims: host and process.
int run_worker(const Common& common, bool once, int interval_seconds) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (s->ctx.demo) {
    // The demo database: nothing leaves this machine (app/demo.h).
    if (!s->ctx.demo->smtp_refused.empty())
      return report_error(
          Error::InvalidArgument(s->ctx.demo->smtp_refused, store::redact_locator(s->ctx.cfg.db)));
    if (!s->ctx.json) {
      std::cerr << "kizuna: demo database: mail goes only to " << s->ctx.cfg.coordination.smtp.url
                << "\n";
      for (const auto& note : s->ctx.demo->notes) std::cerr << "kizuna: " << note << "\n";
    }
  }
  if (const auto& from = s->ctx.cfg.coordination.identity.from_address;
      !s->ctx.json && (from.ends_with("@localhost") || from.find('@') == std::string::npos)) {
    // Mail from kizuna@localhost cannot be answered, and its Message-IDs name no domain.
    std::cerr
        << "kizuna: [notify] from = \"" << from
        << "\" is not the centre's address: replies cannot reach it (docs/configuration.md)\n";
  }
  app::WorkerOptions options;
  options.once = once;
  options.interval = std::chrono::seconds(interval_seconds);
  options.japanese = s->ctx.lang == "ja";
  options.note = [](const std::string& line) { std::cerr << "kizuna: " << line << std::endl; };
  options.round = [&](const coord::RoundSummary& r) {
    if (s->ctx.json) {
      std::cout << app::round_json(r).dump(once ? 2 : -1) << std::endl;
    } else if (once || r.sent || r.checked || r.planned || !r.problems.empty() ||
               !r.sending_paused.empty()) {
      print_round(r, s->ctx.lang == "ja");
    }
  };
  if (auto r = app::run_worker(*s->store, s->ctx.cfg, *s->ctx.clock, options); !r)
    return report_error(r.error());
  return kExitOk;
}

// --- responders -----------------------------------------------------------------------------

int run_responders(const Common& common, const std::string& from, const std::string& to) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  auto scores =
      app::responder_scores(*s->store, s->ctx.cfg, s->ctx.zone, from, to, s->ctx.clock->now());
  if (!scores) return report_error(scores.error());
  if (s->ctx.json) {
    json out = json::array();
    for (const auto& r : *scores) out.push_back(app::responder_json(r));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  const bool ja = s->ctx.lang == "ja";
  std::printf("%-28s %-9s %6s %-9s %6s %8s %8s %8s %6s %6s\n", ja ? "組織" : "organisation",
              ja ? "種別" : "kind", ja ? "通知" : "notices", ja ? "返信" : "replies",
              ja ? "停止" : "down", ja ? "平均時間" : "mean h", ja ? "平均営業日" : "mean bd",
              ja ? "最長営業日" : "max bd", ja ? "月平均" : "/month", ja ? "再開" : "reviv.");
  for (const auto& r : *scores) {
    std::printf("%-28s %-9s %6d %-9s %6d %8.1f %8.1f %8.1f %6.1f %6d\n",
                std::string(utf8_prefix(r.org, 28)).c_str(), r.kind.c_str(), r.notifications,
                r.reply_class.c_str(), r.takedowns, r.mean_hours, r.mean_business_days,
                r.max_business_days, r.per_month, r.revivals);
  }
  return kExitOk;
}

}  // namespace

void add_coord_commands(CLI::App& app, Common& common, int& exit_code) {
  // Option storage lives as long as the program: the callbacks run after this returns.
  struct Args {
    int64_t report = 0, site = 0, notice = 0;
    std::string action, actor, reason, status, from, to, subject, body_file;
    std::vector<int64_t> ids;
    bool all = false, once = false;
    int interval = 60;
  };
  static Args a;

  auto* sites = app.add_subcommand("sites", "the sites of a report and their coordination state");
  sites->fallthrough();
  sites->add_option("--report", a.report, "report number")->required();
  sites->callback([&] { exit_code = run_sites_list(common, a.report); });

  auto* site = app.add_subcommand(
      "site", "move a site through the workflow (docs/decisions/019-site-states.md)");
  site->fallthrough();
  site->add_option("id", a.site, "site number")->required();
  site->add_option("action", a.action,
                   "notify, reply, takedown-reported, verify-down, close, revive, renotify, "
                   "remind, escalate")
      ->required();
  site->add_option("--actor", a.actor, "who (default: handler:$USER)");
  site->add_option("--reason", a.reason, "why, for the event log");
  site->callback([&] { exit_code = run_site_action(common, a.site, a.action, a.actor, a.reason); });

  auto* checks = app.add_subcommand("checks", "the URL checks of a site: verdict, status, reason");
  checks->fallthrough();
  checks->add_option("--site", a.site, "site number")->required();
  checks->callback([&] { exit_code = run_site_checks(common, a.site); });

  auto* notify =
      app.add_subcommand("notify", "mails to responders and reporters: plan, approve, list");
  notify->fallthrough();
  notify->require_subcommand(1);
  auto* plan = notify->add_subcommand(
      "plan", "plan notices (one per responder) and show what would be sent, to whom and why");
  plan->fallthrough();
  plan->callback([&] { exit_code = run_notify_plan(common); });
  auto* approve =
      notify->add_subcommand("approve", "approve planned notices: the worker sends them");
  approve->fallthrough();
  approve->add_option("ids", a.ids, "notice numbers");
  approve->add_flag("--all", a.all, "every planned notice");
  approve->add_option("--actor", a.actor, "who (default: handler:$USER)");
  approve->callback([&] { exit_code = run_notify_approve(common, a.ids, a.all, a.actor); });
  auto* cancel = notify->add_subcommand("cancel", "cancel a planned or approved notice");
  cancel->fallthrough();
  cancel->add_option("id", a.notice, "notice number")->required();
  cancel->add_option("--reason", a.reason, "why, for the event log");
  cancel->add_option("--actor", a.actor, "who (default: handler:$USER)");
  cancel->callback([&] { exit_code = run_notify_cancel(common, a.notice, a.reason, a.actor); });
  auto* edit = notify->add_subcommand("edit", "change a planned notice's subject or body");
  edit->fallthrough();
  edit->add_option("id", a.notice, "notice number")->required();
  edit->add_option("--subject", a.subject, "the new subject (keep its tracking tag)");
  edit->add_option("--body-file", a.body_file, "the new body from this file (- : standard input)");
  edit->add_option("--actor", a.actor, "who (default: handler:$USER)");
  edit->callback(
      [&] { exit_code = run_notify_edit(common, a.notice, a.subject, a.body_file, a.actor); });
  auto* list = notify->add_subcommand("list", "the outbox: every notice, or those with --status");
  list->fallthrough();
  list->add_option("--status", a.status, "planned, approved, sent, bounced, failed, cancelled");
  list->callback([&] { exit_code = run_notify_list(common, a.status); });
  auto* show = notify->add_subcommand("show", "one notice with its text");
  show->fallthrough();
  show->add_option("id", a.notice, "notice number")->required();
  show->callback([&] { exit_code = run_notify_show(common, a.notice); });

  auto* worker = app.add_subcommand(
      "worker", "the scheduler: acknowledge, plan, send approved notices, check sites");
  worker->fallthrough();
  worker->add_flag("--once", a.once, "one round, then exit (with --now, scripts replay days)");
  worker->add_option("--interval", a.interval, "seconds between rounds (default 60, at least 1)")
      ->check(CLI::Range(1, 86400));
  worker->callback([&] { exit_code = run_worker(common, a.once, a.interval); });

  auto* responders = app.add_subcommand(
      "responders", "the responder scorecard: replies and time to takedown per organisation");
  responders->fallthrough();
  responders->add_option("--from", a.from, "first day (inclusive), e.g. 2008-04-01");
  responders->add_option("--to", a.to, "last day (inclusive)");
  responders->callback([&] { exit_code = run_responders(common, a.from, a.to); });
}

}  // namespace kz::cli
