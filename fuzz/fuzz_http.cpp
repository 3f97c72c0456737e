// Fuzzes the server's HTTP layer: request bytes as a client sends them, through Beast's parser
// with the server's limits, the conversion to server::Request and the real route table and
// handlers over an (empty) SQLite store, to the response bytes. Callers are taken for an admin
// an analyst or a handler's session by their Authorization header, so the routes behind the access
// checks run too.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "core/time.h"
#include "server/api.h"
#include "server/http_server.h"

namespace {

struct Fixture {
  Fixture()
      : path(std::filesystem::temp_directory_path() /
             ("kz_fuzz_http_" + std::to_string(::getpid()) + ".db")) {
    std::filesystem::remove(path);
    cfg.db = path.string();  // crash marks and spilled messages beside it, in the temp folder
    db = std::move(*kz::store::open_store(path.string()));
    ctx = std::make_unique<kz::server::ApiContext>(*db, cfg, clock, metrics);
    router = kz::server::make_api(*ctx);
  }
  ~Fixture() {
    db.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
    std::filesystem::remove_all(path.string() + ".crash");
  }
  std::filesystem::path path;
  kz::app::Config cfg;
  kz::SystemClock clock;
  kz::server::Metrics metrics;
  std::unique_ptr<kz::store::Database> db;
  std::unique_ptr<kz::server::ApiContext> ctx;
  kz::server::Router router;
};

kz::Result<kz::app::Principal> pretend(const kz::server::Request& req) {
  const std::string auth = req.header("authorization");
  if (auth == "Bearer admin")
    return kz::app::Principal::of(1, "admin", kz::app::Role::kAdmin, {"write"});
  if (auth == "Bearer analyst")
    return kz::app::Principal::of(2, "analyst", kz::app::Role::kAnalyst, {"read"});
  if (auth == "Bearer session") {
    // A handler's login session: its changes need X-CSRF-Token: csrf.
    auto p = kz::app::Principal::of(3, "handler", kz::app::Role::kHandler, {"read", "write"});
    p.session = 1;
    p.csrf = "csrf";
    return p;
  }
  return kz::fail(kz::Error::Denied("no token given"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture f;
  static const kz::server::HttpOptions options;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)kz::server::respond_to_bytes(in, options, [](const kz::server::Request& req) {
    kz::server::Dispatched d;
    return f.router.dispatch(req, pretend, d);
  });
  return 0;
}
