// `kizuna reports assign|tlp|tag|close|reopen|note|notes`: a handler's work on reports
// (app/handling.h). The actions taking report numbers take one or many: a bulk action is one
// command, all done or none.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "app/coordination.h"
#include "app/handling.h"
#include "app/search.h"
#include "app/shapes.h"
#include "cli/context.h"

namespace kz::cli {

namespace {

struct Args {
  std::vector<int64_t> ids, messages, incidents;
  std::vector<std::string> recipients;
  std::string subject, language;
  bool plan_only = false;
  int64_t id = 0;
  std::string to, tlp, reason, text, actor;
  std::vector<std::string> add, remove;
  bool unassign = false;
};

app::Acting acting(const Session& s, const Args& a) {
  return {handler_name(a.actor), nullptr, s.ctx.cfg.default_tlp};
}

// Runs `action` on an open session; prints what was done (or the error) in the user's language.
template <typename Action>
int run_on_reports(const Common& common, const Args& a, const char* what_ja, const char* what_en,
                   Action action) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (auto r = action(*s); !r) return report_error(r.error());
  if (s->ctx.json) {
    std::cout << app::Json{{"reports", a.ids}, {"done", what_en}}.dump(2) << "\n";
    return kExitOk;
  }
  std::string numbers;
  for (int64_t id : a.ids) numbers += (numbers.empty() ? "#" : ", #") + std::to_string(id);
  std::printf("%s: %s\n", s->ctx.lang == "ja" ? what_ja : what_en, numbers.c_str());
  return kExitOk;
}

// Opens a session and runs `body(Session&)`, which returns the exit code.
template <typename Body>
int in_session(const Common& common, Body body) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  return body(*s);
}

std::string read_all_stdin() {
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

int run_notes(const Common& common, int64_t id) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (auto r = s->store->reports().get_report(id); !r) return report_error(r.error());
  auto notes = s->store->reports().notes_of(id);
  if (!notes) return report_error(notes.error());
  if (s->ctx.json) {
    app::Json out = app::Json::array();
    for (const auto& n : *notes) out.push_back(app::note_json(n));
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  const TimeZone zone(s->ctx.cfg.time_zone);
  for (const auto& n : *notes) {
    std::cout << "#" << n.id << "  " << zone.format_local(n.created_at) << "  " << n.author << "\n"
              << n.body << "\n\n";
  }
  return kExitOk;
}

int run_search(const Common& common, store::MessageSearch q) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  q.short_scan = s->ctx.cfg.search_scan_messages;
  auto found = app::search_messages(*s->store, q);
  if (!found) return report_error(found.error());
  const bool ja = s->ctx.lang == "ja";
  if (s->ctx.json) {
    std::cout << app::search_json(*found).dump(2, ' ', false, app::Json::error_handler_t::replace)
              << "\n";
    return kExitOk;
  }
  const TimeZone zone(s->ctx.cfg.time_zone);
  if (found->hits.empty()) std::cout << (ja ? "見つかりませんでした" : "Nothing found") << "\n";
  for (const auto& h : found->hits) {
    std::cout << "[" << h.message << "] "
              << (h.report ? "#" + std::to_string(*h.report) : std::string("-")) << "  "
              << zone.format_local(h.received_at).substr(0, 16) << "  "
              << terminal_safe(utf8_prefix(h.sender, 60), false) << "\n        "
              << terminal_safe(utf8_prefix(h.subject, 120), false) << "\n";
  }
  if (found->more) {
    std::cout << (ja ? "続き: --before " : "more: --before ") << found->hits.back().message << "\n";
  }
  if (found->scanned_above) {
    std::cout << (ja ? "短い語のため、メッセージ " + std::to_string(*found->scanned_above) +
                           " より新しいものだけを探しました"
                     : "a short text: only messages after " +
                           std::to_string(*found->scanned_above) + " were searched")
              << "\n";
  }
  return kExitOk;
}

// `search --update-index`: after a large import, the index at once rather than over the worker's
// rounds; prints how many messages it took.
int run_update_index(const Common& common) {
  return in_session(common, [](Session& s) {
    auto filled = app::fill_missing_search_text(*s.store, s.ctx.cfg, INT32_MAX);
    if (!filled) return report_error(filled.error());
    auto indexed = app::index_for_search(*s.store, INT32_MAX);
    if (!indexed) return report_error(indexed.error());
    if (s.ctx.json) {
      std::cout << app::Json{{"texts_filled", *filled}, {"indexed", *indexed}}.dump(2) << "\n";
    } else {
      std::printf(s.ctx.lang == "ja" ? "索引に %d 件を追加しました\n"
                                     : "%d messages added to the search index\n",
                  *indexed);
    }
    return kExitOk;
  });
}

}  // namespace

void add_search_command(CLI::App& app, Common& common, int& exit_code) {
  static store::MessageSearch q;  // lives as long as the program, as in add_report_commands
  auto* search = app.add_subcommand(
      "search", "messages holding a text (subject, sender, body), the newest first");
  search->fallthrough();
  static bool update_index = false;
  search->add_option("text", q.text, "what to find; case-insensitive");
  search->add_option("--limit", q.limit, "at most this many (default 50)")
      ->check(CLI::Range(1, 10000));
  search->add_option("--before", q.before, "messages numbered below this (the next page)");
  search->add_flag("--update-index", update_index,
                   "bring the search index up to date now, as the worker does each round");
  search->callback([&] {
    if (update_index) {
      exit_code = run_update_index(common);
      return;
    }
    exit_code = run_search(common, q);
  });
}

void add_report_commands(CLI::App& reports, Common& common, int& exit_code) {
  static Args a;  // lives as long as the program: the callbacks run after this returns
  auto actor_option = [](CLI::App* c) {
    c->add_option("--actor", a.actor, "who acts, for the event log (default: handler:$USER)");
  };

  auto* assign = reports.add_subcommand("assign", "assign reports to a handler (or --none)");
  assign->fallthrough();
  assign->add_option("ids", a.ids, "report numbers")->required();
  assign->add_option("--to", a.to, "the user (an admin or a handler)");
  assign->add_flag("--none", a.unassign, "unassign them");
  actor_option(assign);
  assign->callback([&] {
    if (a.to.empty() == !a.unassign) {
      exit_code = report_error(Error::InvalidArgument("give --to USER or --none"));
      return;
    }
    exit_code = run_on_reports(common, a, "担当者を設定しました", "assigned", [](Session& s) {
      return app::assign_reports(*s.store, s.ctx.clock->now(), acting(s, a), a.ids, a.to);
    });
  });

  auto* tlp = reports.add_subcommand("tlp", "set the TLP marking of reports");
  tlp->fallthrough();
  tlp->add_option("level", a.tlp, "CLEAR, GREEN, AMBER, AMBER+STRICT or RED")->required();
  tlp->add_option("ids", a.ids, "report numbers")->required();
  tlp->add_option("--reason", a.reason, "why, for the event log");
  actor_option(tlp);
  tlp->callback([&] {
    exit_code = run_on_reports(common, a, "TLP を設定しました", "TLP set", [](Session& s) {
      return app::set_reports_tlp(*s.store, s.ctx.clock->now(), acting(s, a), a.ids, a.tlp,
                                  a.reason);
    });
  });

  auto* tag = reports.add_subcommand("tag", "add or remove tags of reports");
  tag->fallthrough();
  tag->add_option("ids", a.ids, "report numbers")->required();
  tag->add_option("--add", a.add, "a tag to add (repeat)");
  tag->add_option("--remove", a.remove, "a tag to remove (repeat)");
  actor_option(tag);
  tag->callback([&] {
    exit_code = run_on_reports(common, a, "タグを変更しました", "tags changed", [](Session& s) {
      return app::tag_reports(*s.store, s.ctx.clock->now(), acting(s, a), a.ids, a.add, a.remove);
    });
  });

  auto* close = reports.add_subcommand("close", "close reports with one reason");
  close->fallthrough();
  close->add_option("ids", a.ids, "report numbers")->required();
  close->add_option("--reason", a.reason, "why (required: the timeline says it)")->required();
  actor_option(close);
  close->callback([&] {
    exit_code = run_on_reports(common, a, "報告を閉じました", "closed", [](Session& s) {
      return app::close_reports(*s.store, s.ctx.clock->now(), acting(s, a), a.ids, a.reason);
    });
  });

  auto* merge = reports.add_subcommand(
      "merge", "merge reports into one: their messages, incidents and sites join it");
  merge->fallthrough();
  merge->add_option("into", a.id, "the report that stays")->required();
  merge->add_option("from", a.ids, "the reports merged into it (they stay, closed)")->required();
  merge->add_option("--reason", a.reason, "why (required)")->required();
  actor_option(merge);
  merge->callback([&] {
    exit_code = in_session(common, [](Session& s) {
      auto m =
          app::merge_reports(*s.store, s.ctx.clock->now(), acting(s, a), a.id, a.ids, a.reason);
      if (!m) return report_error(m.error());
      if (s.ctx.json) {
        std::cout << app::merge_json(a.id, a.ids, *m).dump(2) << "\n";
      } else if (s.ctx.lang == "ja") {
        std::printf(
            "#%lld に統合しました: メッセージ %lld 件、インシデント %lld 件を移動、%lld 件を統合\n",
            static_cast<long long>(a.id), static_cast<long long>(m->messages),
            static_cast<long long>(m->incidents_moved),
            static_cast<long long>(m->incidents_joined));
      } else {
        std::printf("merged into #%lld: %lld messages, %lld incidents moved, %lld joined\n",
                    static_cast<long long>(a.id), static_cast<long long>(m->messages),
                    static_cast<long long>(m->incidents_moved),
                    static_cast<long long>(m->incidents_joined));
      }
      return kExitOk;
    });
  });

  auto* split = reports.add_subcommand(
      "split", "move some of a report's messages (and incidents) to a new report");
  split->fallthrough();
  split->add_option("id", a.id, "the report split")->required();
  split->add_option("--messages", a.messages, "message numbers that move (not all of them)")
      ->required();
  split->add_option("--incidents", a.incidents, "incident numbers that move with them");
  split->add_option("--reason", a.reason, "why (required)")->required();
  actor_option(split);
  split->callback([&] {
    exit_code = in_session(common, [](Session& s) {
      auto id = app::split_report(*s.store, s.ctx.clock->now(), acting(s, a), a.id, a.messages,
                                  a.incidents, a.reason);
      if (!id) return report_error(id.error());
      if (s.ctx.json) {
        std::cout << app::Json{{"report", *id}, {"from", a.id}}.dump(2) << "\n";
      } else {
        std::printf(s.ctx.lang == "ja" ? "新しい報告 #%lld に分割しました\n"
                                       : "split into a new report #%lld\n",
                    static_cast<long long>(*id));
      }
      return kExitOk;
    });
  });

  auto* reopen = reports.add_subcommand("reopen", "open closed reports again");
  reopen->fallthrough();
  reopen->add_option("ids", a.ids, "report numbers")->required();
  reopen->add_option("--reason", a.reason, "why (required)")->required();
  actor_option(reopen);
  reopen->callback([&] {
    exit_code = run_on_reports(common, a, "報告を再開しました", "reopened", [](Session& s) {
      return app::reopen_reports(*s.store, s.ctx.clock->now(), acting(s, a), a.ids, a.reason);
    });
  });

  auto* note = reports.add_subcommand(
      "note", "add an internal note to a report (never shown to reporters or responders)");
  note->fallthrough();
  note->add_option("id", a.id, "report number")->required();
  note->add_option("--text", a.text, "the note; - or nothing: read standard input");
  actor_option(note);
  note->callback([&] {
    if (a.text.empty() || a.text == "-") a.text = read_all_stdin();
    a.ids = {a.id};
    exit_code = run_on_reports(common, a, "メモを追加しました", "note added", [](Session& s) {
      return app::add_note(*s.store, s.ctx.clock->now(), acting(s, a), a.id, a.text)
          .map([](store::Id) {});
    });
  });

  auto* mail = reports.add_subcommand(
      "mail", "write to the reporter or a responder about a report (the worker sends it)");
  mail->fallthrough();
  mail->add_option("id", a.id, "report number")->required();
  mail->add_option("--to", a.recipients, "reporter, responders, or mail addresses")->required();
  mail->add_option("--subject", a.subject, "the subject (the tracking tag is put in front)")
      ->required();
  mail->add_option("--text", a.text, "the text; - or nothing: read standard input");
  mail->add_option("--mail-lang", a.language, "ja or en (default: the reporter's, else en)");
  mail->add_flag("--plan-only", a.plan_only, "leave it planned for another handler to approve");
  actor_option(mail);
  mail->callback([&] {
    if (a.text.empty() || a.text == "-") a.text = read_all_stdin();
    exit_code = in_session(common, [](Session& s) {
      app::MailRequest m{a.id, a.recipients, a.subject, a.text, a.language, !a.plan_only};
      auto id = app::write_mail(*s.store, s.ctx.cfg, *s.ctx.clock, acting(s, a), m);
      if (!id) return report_error(id.error());
      if (s.ctx.json) {
        std::cout << app::Json{{"notice", *id}, {"approved", !a.plan_only}}.dump(2) << "\n";
      } else if (s.ctx.lang == "ja") {
        std::printf("メール #%lld を%s\n", static_cast<long long>(*id),
                    a.plan_only ? "作成しました（承認待ち）" : "送信待ちにしました");
      } else {
        std::printf("mail #%lld %s\n", static_cast<long long>(*id),
                    a.plan_only ? "planned (awaiting approval)" : "queued for sending");
      }
      return kExitOk;
    });
  });

  auto* notes = reports.add_subcommand("notes", "the internal notes of a report");
  notes->fallthrough();
  notes->add_option("id", a.id, "report number")->required();
  notes->callback([&] { exit_code = run_notes(common, a.id); });
}

}  // namespace kz::cli
