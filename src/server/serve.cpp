#include "server/serve.h"

#include <nlohmann/json.hpp>

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
  const Authenticate authenticate = authenticator(ctx);
  auto log = [&](const Request& req, const Dispatched& d, int status, size_t bytes,
                 double seconds) {
    const std::string line = JsonOut()
                                 .field("at", format_utc(clock.now()))
                                 .field("peer", req.peer)
                                 .field("method", req.method)
                                 .field("route", d.route)
                                 .field("path", req.path)
                                 .field("status", int64_t{status})
                                 .field("bytes", static_cast<int64_t>(bytes))
                                 .field("ms", static_cast<int64_t>(seconds * 1000))
                                 .field("user", d.user)
                                 .done();
    std::fprintf(stderr, "%s\n", line.c_str());
  };
  auto handle = [&](Request& req) {
    const auto started = std::chrono::steady_clock::now();
    // Behind a trusted reverse proxy, the client is the one it names.
    req.peer = client_address(req.peer, req.header("x-forwarded-for"), cfg.trusted_proxies);
    Dispatched d;
    Response res = router.dispatch(req, authenticate, d);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.observe(d.route, req.method, res.status, seconds);
    log(req, d, res.status, res.body.size(), seconds);
    return res;
  };
  // A request the HTTP layer refused: logged and counted under the route "refused".
  auto refused = [&](const std::string& peer, int status) {
    Request req;
    req.peer = peer;
    Dispatched d;
    d.route = "refused";
    metrics.observe(d.route, "", status, 0);
    log(req, d, status, 0, 0);
  };
  auto server = HttpServer::listen(options.http, handle, refused);
  if (!server) return fail(server.error());
  if (options.on_listening) options.on_listening((*server)->port());
  (*server)->run();
  return {};
}

std::string route_table_json(store::Database& db, const app::Config& cfg, const Clock& clock) {
  Metrics metrics;
  ApiContext ctx{db, cfg, clock, metrics};
  const Router router = make_api(ctx);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : router.routes()) {
    nlohmann::json roles = nlohmann::json::array();
    for (auto role : r.roles) roles.push_back(app::to_string(role));
    out.push_back({{"method", r.method},
                   {"pattern", r.pattern},
                   {"access", to_string(r.access)},
                   {"roles", roles}});
  }
  return out.dump(2);
}

}  // namespace kz::server
