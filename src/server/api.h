// The API's routes (/api/v1, /healthz, /metrics) over the use cases and the store. Each handler
// reads the request, calls app/ or a repository, and renders with app/shapes.h, the shapes
// `--json` prints, so the command line and the API cannot drift apart. docs/api.yaml describes
// every route; docs/security.md says who sees what.
//
// TLP: a report marked TLP:RED is seen by admins only (until reports can be assigned, when the
// assigned handlers will see theirs too): it is left out of lists and counts and a 404 like a
// report that does not exist for everyone else, so its existence does not leak.
//
// Thread-safety: the handlers use `db` and must be called from one thread at a time.
#pragma once

#include "app/config.h"
#include "core/time.h"
#include "server/metrics.h"
#include "server/router.h"
#include "store/database.h"

namespace kz::server {

struct ApiContext {
  store::Database& db;
  const app::Config& cfg;
  const Clock& clock;
  const Metrics& metrics;
};

// The route table of the server.
Router make_api(ApiContext& ctx);
// The caller of a request: its "Authorization: Bearer <token>", checked against the store.
Authenticate token_authenticator(ApiContext& ctx);

}  // namespace kz::server
