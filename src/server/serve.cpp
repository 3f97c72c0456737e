#include "server/serve.h"

#include <cstdio>

#include "core/json_out.h"
#include "server/api.h"
#include "server/metrics.h"

namespace kz::server {

Status serve(store::Database& db, const app::Config& cfg, const Clock& clock,
             const ServeOptions& options) {
  Metrics metrics;
  ApiContext ctx{db, cfg, clock, metrics};
  const Router router = make_api(ctx);
  const Authenticate authenticate = token_authenticator(ctx);
  auto handle = [&](const Request& req) {
    const auto started = std::chrono::steady_clock::now();
    Dispatched d;
    Response res = router.dispatch(req, authenticate, d);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.observe(d.route, req.method, res.status, seconds);
    const std::string line = JsonOut()
                                 .field("at", format_utc(clock.now()))
                                 .field("peer", req.peer)
                                 .field("method", req.method)
                                 .field("route", d.route)
                                 .field("path", req.path)
                                 .field("status", int64_t{res.status})
                                 .field("bytes", static_cast<int64_t>(res.body.size()))
                                 .field("ms", static_cast<int64_t>(seconds * 1000))
                                 .field("user", d.user)
                                 .done();
    std::fprintf(stderr, "%s\n", line.c_str());
    return res;
  };
  auto server = HttpServer::listen(options.http, handle);
  if (!server) return fail(server.error());
  if (options.on_listening) options.on_listening((*server)->port());
  (*server)->run();
  return {};
}

}  // namespace kz::server
