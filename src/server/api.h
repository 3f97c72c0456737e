// The API's routes (/api/v1, /healthz, /metrics) over the use cases and the store. Each handler
// reads the request, calls app/ or a repository, and renders with app/shapes.h, the shapes
// `--json` prints, so the command line and the API cannot drift apart. docs/api.yaml describes
// every route; docs/security.md says who sees what.
//
// TLP: a report marked TLP:RED (or unmarked, when [centre] default_tlp is RED) is seen by admins
// and its assignee only (app::may_see): it is left out of lists and counts and a 404 like a
// report that does not exist for everyone else, so its existence does not leak.
//
// Callers are people with a login session (a cookie, and a CSRF token on every request that
// changes something) or tools with an API token (Authorization: Bearer).
//
// Thread-safety: the handlers use `db` and must be called from one thread at a time.
#pragma once

#include "app/config.h"
#include "core/time.h"
#include "enrich/network_data.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/throttle.h"
#include "store/database.h"

namespace kz::server {

struct ApiContext {
  ApiContext(store::Database& db, const app::Config& cfg, const Clock& clock,
             const Metrics& metrics)
      : db(db),
        cfg(cfg),
        clock(clock),
        metrics(metrics),
        login_failures(cfg.login.max_failures_per_address, cfg.login.lockout),
        submissions(cfg.submissions_per_hour, std::chrono::hours(1)) {}

  store::Database& db;
  const app::Config& cfg;
  const Clock& clock;
  const Metrics& metrics;
  Throttle login_failures;  // failed logins per client address
  Throttle submissions;     // public form submissions per client address
  // The network data's snapshot (whois, contacts, directory), rebuilt after `kizuna data load`.
  enrich::NetworkDataCache network_data;
};

// The session cookie's name.
inline constexpr const char* kSessionCookie = "kizuna_session";

// The route table of the server.
Router make_api(ApiContext& ctx);
// The caller of a request: its "Authorization: Bearer <token>", else its session cookie, checked
// against the store.
Authenticate authenticator(ApiContext& ctx);

}  // namespace kz::server
