// `kizuna db ...`: looking after the database (app/database_admin.h, docs/operations.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "app/database_admin.h"
#include "app/shapes.h"
#include "cli/context.h"
#include "store/locator.h"

namespace kz::cli {

namespace {

int run_db_copy(const Common& common, const std::string& to) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  const bool ja = s->ctx.lang == "ja";
  const bool human = !s->ctx.json;
  const bool show_progress = human && ::isatty(STDERR_FILENO);
  auto progress = [&](const std::string& table, int64_t copied) {
    if (show_progress && copied > 0)
      std::fprintf(stderr, "\r%s %-20s %lld", ja ? "コピー中" : "copying", table.c_str(),
                   static_cast<long long>(copied));
  };
  auto report = app::copy_centre(*s->store, to, progress);
  if (show_progress) std::fprintf(stderr, "\r%60s\r", "");
  if (!report) return report_error(report.error());
  if (!human) {
    std::cout << app::copy_json(*report).dump(2) << "\n";
    return kExitOk;
  }
  std::printf("%s %s\n", ja ? "コピー先:" : "copied to", store::redact_locator(to).c_str());
  std::printf("  %-22s %10s %10s %10s\n", ja ? "表" : "table", ja ? "今回" : "this run",
              ja ? "元" : "source", ja ? "先" : "target");
  for (const auto& t : report->tables) {
    std::printf("  %-22s %10lld %10lld %10lld\n", t.table.c_str(), static_cast<long long>(t.copied),
                static_cast<long long>(t.source), static_cast<long long>(t.target));
  }
  std::printf(ja ? "件数はすべて一致、原文 %lld 通はバイト単位で一致\n"
                 : "every table's count matches; %lld raw messages are byte-identical\n",
              static_cast<long long>(report->raw_compared));
  return kExitOk;
}

int run_db_backup(const Common& common, const std::string& out) {
  int code = kExitOk;
  auto s = open_session(common, code);
  if (!s) return code;
  if (auto b = app::back_up(*s->store, out); !b) return report_error(b.error());
  if (s->ctx.json) {
    std::cout << app::Json{{"backup", out}}.dump(2) << "\n";
  } else {
    std::printf(s->ctx.lang == "ja" ? "バックアップ: %s\n" : "backed up to %s\n", out.c_str());
  }
  return kExitOk;
}

}  // namespace

void add_db_commands(CLI::App& app, Common& common, int& exit_code) {
  struct Args {
    std::string to, out;
  };
  static Args a;  // lives as long as the program: the callbacks run after this returns
  auto* db = app.add_subcommand("db", "look after the database: copy to PostgreSQL, back up");
  db->fallthrough();
  db->require_subcommand(1);
  auto* copy = db->add_subcommand(
      "copy", "copy the centre in --db to a PostgreSQL database (the move from SQLite)");
  copy->fallthrough();
  copy->add_option("--to", a.to, "postgresql://... URL of the target (its password from .pgpass)")
      ->required();
  copy->callback([&] { exit_code = run_db_copy(common, a.to); });
  auto* backup = db->add_subcommand(
      "backup", "a consistent copy of the SQLite database, safe while the worker runs");
  backup->fallthrough();
  backup->add_option("-o,--output", a.out, "the new file to write")->required();
  backup->callback([&] { exit_code = run_db_backup(common, a.out); });
}

}  // namespace kz::cli
