// What every subcommand shares: the global options, the context made from them (configuration,
// clock, language), error reporting with the documented exit codes, and opening the store.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <optional>
#include <string>

#include "app/config.h"
#include "app/demo.h"
#include "app/enrichment.h"
#include "core/result.h"
#include "core/text.h"
#include "core/time.h"
#include "enrich/enricher.h"
#include "store/database.h"

namespace kz::cli {

using app::Config;
using app::load_config;

constexpr int kExitOk = 0;
constexpr int kExitUser = 1;
constexpr int kExitTempFail = 75;

struct Common {
  std::string db;
  std::string config_path;
  bool json = false;
  std::string now;
  std::string lang;
};

struct Context {
  Config cfg;
  std::unique_ptr<Clock> clock;
  TimeZone zone;
  std::string lang;
  bool json = false;
  // Set by open_store on a demo database (app/demo.h): cfg is confined, and this says how.
  std::optional<app::DemoConfinement> demo;
};

// A field from outside (a subject, an address, a URL) for human output: control characters and
// line breaks shown as visible escapes (terminal_safe), so that it stays on its line. Output
// written with printf bypasses the stream filter of cli/terminal.h: it must use this.
inline std::string shown(std::string_view field) { return terminal_safe(field, false); }

// Who acts: `given` (--actor), else handler:$USER, else handler:unknown.
std::string handler_name(const std::string& given);

// Prints "kizuna: <error>" and returns the exit code (75 when unavailable, else 1).
int report_error(const Error& e);

// Loads configuration and clock; nullopt after printing the error.
std::optional<Context> make_context(const Common& c, int& exit_code);

// The configured database. On a demo database, `ctx.cfg` is confined (app/demo.h) and
// `ctx.demo` set. Only the commands that bring data in (`create`: ingest, submit,
// data load) create it; every other command needs it to exist (a mistyped --db is an error
// naming the path, exit 1) and reads one it cannot write (a read-only folder) read-only.
Result<std::unique_ptr<store::Database>> open_store(Context& ctx, bool create = false);

// What most commands need: the context and the store. nullopt after printing the error (`code`
// set to the exit code).
struct Session {
  Context ctx;
  std::unique_ptr<store::Database> store;
};
std::optional<Session> open_session(const Common& common, int& code, bool create = false);

// `sites`, `site`, `notify`, `worker`, `responders`: src/cli/coord_commands.cpp.
void add_coord_commands(CLI::App& app, Common& common, int& exit_code);
// `db copy`, `db backup` (db_commands.cpp).
void add_db_commands(CLI::App& app, Common& common, int& exit_code);
// `user add|passwd|token|revoke|disable|list` (user_commands.cpp).
void add_user_commands(CLI::App& app, Common& common, int& exit_code);
// `reports assign|tlp|tag|close|reopen|note|notes` under `reports` (report_commands.cpp).
void add_report_commands(CLI::App& reports, Common& common, int& exit_code);
// `search TEXT`: messages holding a text, the newest first (app/search.h; report_commands.cpp).
void add_search_command(CLI::App& app, Common& common, int& exit_code);
// `serve` (serve_command.cpp).
void add_serve_command(CLI::App& app, Common& common, int& exit_code);

}  // namespace kz::cli
