#include "cli/context.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/messages.h"
#include "cli/terminal.h"
#include "core/ip.h"
#include "enrich/loader.h"
#include "enrich/network_data.h"
#include "enrich/rdap_client.h"
#include "enrich/resolver.h"
#include "store/locator.h"
#include "triage/reporters.h"

namespace kz::cli {

std::string handler_name(const std::string& given) {
  if (!given.empty()) return given;
  const char* user = std::getenv("USER");
  return std::string("handler:") + (user ? user : "unknown");
}

namespace {
// The language errors are printed in: set once the context is made (ja before that, the default).
std::string& error_language() {
  static std::string lang = "ja";
  return lang;
}
}  // namespace

int report_error(const Error& e) {
  const std::string message = translate_error(error_language(), e.message);
  std::cerr << "kizuna: " << (e.context.empty() ? message : e.context + ": " + message) << "\n";
  if (e.code == ErrorCode::kUnavailable) return kExitTempFail;
  return kExitUser;
}

// Loads configuration and clock; nullopt after printing the error.
std::optional<Context> make_context(const Common& c, int& exit_code) {
  auto cfg = load_config(c.config_path);
  if (!cfg) {
    exit_code = report_error(cfg.error());
    return std::nullopt;
  }
  Context ctx{std::move(*cfg), nullptr, TimeZone(), "", c.json, std::nullopt};
  // Human output shows text from outside: never as terminal control sequences.
  install_terminal_filter(!ctx.json);
  if (!c.db.empty()) ctx.cfg.db = c.db;
  ctx.zone = TimeZone(ctx.cfg.time_zone);
  ctx.lang = !c.lang.empty() ? c.lang : ctx.cfg.lang;
  error_language() = ctx.lang == "en" ? "en" : "ja";
  if (ctx.lang != "ja" && ctx.lang != "en") {
    exit_code = report_error(Error::InvalidArgument("--lang must be ja or en", ctx.lang));
    return std::nullopt;
  }
  std::string now = c.now;
  if (now.empty()) {
    if (const char* env = std::getenv("KIZUNA_NOW"); env && *env) now = env;
  }
  // The test hook: a clock the test moves while the process runs (core/time.h FileClock).
  if (const char* file = std::getenv("KIZUNA_TEST_CLOCK_FILE"); file && *file) {
    const char* hooks = std::getenv("KIZUNA_TEST_HOOKS");
    if (!hooks || std::string_view(hooks) != "1") {
      exit_code = report_error(Error::InvalidArgument(
          "KIZUNA_TEST_CLOCK_FILE is a test hook: it works only with KIZUNA_TEST_HOOKS=1, never "
          "in production"));
      return std::nullopt;
    }
    ctx.clock = FileClock::open(file);
    if (!ctx.clock) {
      exit_code =
          report_error(Error::InvalidArgument("KIZUNA_TEST_CLOCK_FILE holds no time such as "
                                              "2008-04-15T10:00:00Z",
                                              file));
      return std::nullopt;
    }
  } else if (!now.empty()) {
    auto t = parse_iso8601(now, ctx.zone);
    if (!t) {
      exit_code = report_error(
          Error::InvalidArgument("--now is not a time such as 2008-04-15T10:00+09:00", now));
      return std::nullopt;
    }
    ctx.clock = std::make_unique<FixedClock>(*t);
  } else {
    ctx.clock = std::make_unique<SystemClock>();
  }
  if (!ctx.cfg.gnupg_home.empty()) setenv("GNUPGHOME", ctx.cfg.gnupg_home.c_str(), 1);
  return ctx;
}

Result<std::unique_ptr<store::Database>> open_store(Context& ctx, bool create) {
  store::SqliteOptions options;
  options.create = create;
  const bool on_server = store::is_postgres_url(ctx.cfg.db);
  if (create) {
    const auto folder = on_server ? std::filesystem::path(ctx.cfg.work_dir)
                                  : std::filesystem::path(ctx.cfg.db).parent_path();
    std::error_code ec;
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
  }
  auto store = store::open_store(ctx.cfg.db, options);
  if (!store && store.error().code == ErrorCode::kNotFound) {
    // A user's mistake, not a missing record: exit 1 naming the path.
    return fail(Error::InvalidArgument(store.error().message, store.error().context));
  }
  if (!store) return store;
  auto demo = app::is_demo((*store)->settings());
  if (!demo) return fail(demo.error());
  if (*demo) ctx.demo = app::confine_to_demo(ctx.cfg);
  return store;
}

std::optional<Session> open_session(const Common& common, int& code, bool create) {
  auto ctx = make_context(common, code);
  if (!ctx) return std::nullopt;
  auto store = open_store(*ctx, create);
  if (!store) {
    code = report_error(store.error());
    return std::nullopt;
  }
  return Session{std::move(*ctx), std::move(*store)};
}

}  // namespace kz::cli
