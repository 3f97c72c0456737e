// `kizuna serve`: the HTTP server over one store, with its access log and metrics.
//
// The access log is one JSON object per line on standard error: time, peer, method, route
// pattern, path, status, bytes, milliseconds and user. Request bodies, query strings and tokens
// are never logged.
//
// Thread-safety: serve() runs on the calling thread until the server stops.
#pragma once

#include <functional>

#include "app/config.h"
#include "core/time.h"
#include "server/http_server.h"
#include "store/database.h"

namespace kz::server {

struct ServeOptions {
  HttpOptions http;
  // Called once the listener is bound, with the port (the one chosen when the port was 0).
  std::function<void(uint16_t port)> on_listening;
};

// Serves `db` until SIGTERM or SIGINT. kUnavailable when the address cannot be bound.
Status serve(store::Database& db, const app::Config& cfg, const Clock& clock,
             const ServeOptions& options);

// The route table as JSON: [{"method", "pattern", "access", "roles"}] (`kizuna serve --routes`;
// the API tests check that every route is documented and tested).
std::string route_table_json(store::Database& db, const app::Config& cfg, const Clock& clock);

}  // namespace kz::server
