// `kizuna serve`: the HTTP server and its API (src/server, docs/api.yaml).
#include <atomic>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <thread>

#include "app/access.h"
#include "app/shapes.h"
#include "app/worker.h"
#include "cli/context.h"
#include "core/json_out.h"
#include "server/serve.h"

namespace kz::cli {

namespace {

// "HOST:PORT" (an IPv6 host in brackets). kInvalidArgument naming the value.
Result<std::pair<std::string, uint16_t>> parse_listen(const std::string& s) {
  const size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon + 1 == s.size()) {
    return fail(Error::InvalidArgument("--listen takes HOST:PORT, e.g. 127.0.0.1:8080", s));
  }
  std::string host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  uint16_t port = 0;
  const char* digits = s.data() + colon + 1;
  auto [end, ec] = std::from_chars(digits, s.data() + s.size(), port);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return fail(Error::InvalidArgument("the port of --listen must be 0 to 65535", s));
  }
  return std::pair<std::string, uint16_t>{host, port};
}

// The worker inside `serve`: its own connection on a thread of its own, its rounds and notes as
// JSON lines beside the access log. Stops within a second of `stop` (between rounds).
class ServeWorker {
 public:
  ServeWorker(const Context& ctx, int interval_seconds) {
    thread_ = std::thread([this, &ctx, interval_seconds] { run(ctx, interval_seconds); });
  }
  ~ServeWorker() {
    stop_ = true;
    thread_.join();
  }

 private:
  void run(const Context& ctx, int interval_seconds) {
    auto log = [&](std::string_view key, const std::string& json) {
      std::fprintf(
          stderr, "%s\n",
          JsonOut().field("at", format_utc(ctx.clock->now())).json(key, json).done().c_str());
    };
    auto note = [&](const std::string& line) {
      log("worker_note", JsonOut().field("message", line).done());
    };
    auto db = store::open_store(ctx.cfg.db);
    if (!db) {
      note(db.error().to_string());
      return;
    }
    app::WorkerOptions options;
    options.interval = std::chrono::seconds(interval_seconds);
    options.japanese = ctx.lang == "ja";
    options.stop = &stop_;
    options.note = note;
    options.round = [&](const coord::RoundSummary& r) {
      log("worker_round", app::round_json(r).dump());
    };
    if (auto r = app::run_worker(**db, ctx.cfg, *ctx.clock, options); !r) {
      note("the worker stopped: " + r.error().to_string());
    }
  }

  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// How long the setup link of a centre without users works: the day its server first starts.
constexpr std::chrono::hours kSetupLinkLifetime{24};

int run_serve(const Common& common, const std::string& listen, bool routes, bool no_worker,
              int interval_seconds) {
  int code = kExitOk;
  // The server starts on an empty database too: it creates the schema.
  auto s = open_session(common, code, /*create=*/true);
  if (!s) return code;
  if (routes) {
    std::cout << server::route_table_json(*s->store, s->ctx.cfg, *s->ctx.clock) << "\n";
    return kExitOk;
  }
  auto at = parse_listen(listen.empty() ? s->ctx.cfg.server_listen : listen);
  if (!at) return report_error(at.error());
  const bool ja = s->ctx.lang == "ja";
  // A centre without users: a one-time setup link for the first admin (app/access.h).
  auto setup = app::setup_token(*s->store, s->ctx.clock->now(), kSetupLinkLifetime);
  if (!setup) return report_error(setup.error());
  // The worker runs unless told not to; on a demo database whose relay is not the loopback sink
  // it does not (app/demo.h), and the server says why.
  std::unique_ptr<ServeWorker> worker;
  if (!no_worker) {
    if (s->ctx.demo && !s->ctx.demo->smtp_refused.empty()) {
      std::fprintf(stderr, "kizuna: %s: no worker\n", s->ctx.demo->smtp_refused.c_str());
    } else {
      worker = std::make_unique<ServeWorker>(s->ctx, interval_seconds);
    }
  }
  server::ServeOptions options;
  options.http.host = at->first;
  options.http.port = at->second;
  options.on_listening = [&](uint16_t port) {
    const std::string host =
        at->first.find(':') != std::string::npos ? "[" + at->first + "]" : at->first;
    if (*setup) {
      // Before the "listening" line, which scripts read last.
      std::printf(ja ? "利用者がまだいません。24 時間以内に最初の管理者を作成してください: "
                       "http://%s:%u/setup#%s (POST /api/v1/setup に token, user, password), "
                       "または kizuna user add NAME --role admin --password-stdin\n"
                     : "no users yet. Create the first admin within 24 hours: "
                       "http://%s:%u/setup#%s (POST /api/v1/setup with token, user, password), "
                       "or kizuna user add NAME --role admin --password-stdin\n",
                  host.c_str(), static_cast<unsigned>(port), (*setup)->c_str());
    }
    std::printf(ja ? "待ち受け中: http://%s:%u\n" : "listening on http://%s:%u\n", host.c_str(),
                static_cast<unsigned>(port));
    std::fflush(stdout);
  };
  if (auto r = server::serve(*s->store, s->ctx.cfg, *s->ctx.clock, options); !r)
    return report_error(r.error());
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Common& common, int& exit_code) {
  // These live as long as the program: the callback runs after this returns.
  static std::string listen;
  static bool routes = false, no_worker = false;
  static int interval = 60;
  auto* serve = app.add_subcommand("serve", "the HTTP server and its API (until SIGTERM)");
  serve->fallthrough();
  serve->add_option("--listen", listen,
                    "HOST:PORT to listen on (default [server] listen, 127.0.0.1:8080; port 0 "
                    "picks a free one)");
  serve->add_flag("--routes", routes, "print the route table as JSON and exit");
  serve->add_flag("--no-worker", no_worker, "do not run the worker inside the server");
  serve->add_option("--interval", interval, "seconds between the worker's rounds (default 60)");
  serve->callback([&] { exit_code = run_serve(common, listen, routes, no_worker, interval); });
}

}  // namespace kz::cli
