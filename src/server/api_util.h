// What the API's route files share (api.cpp, api_session.cpp, api_handling.cpp): reading a
// request's parameters and body, answering JSON, and who sees what. Internal to src/server.
#pragma once

#include <string>

#include "app/handling.h"
#include "app/ingest.h"
#include "app/shapes.h"
#include "server/api.h"

namespace kz::server::api {

using app::Json;

inline Response json_response(const Json& j, int status = 200) {
  return Response::json(status, j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

// A path value the router matched as 1 to 18 digits.
int64_t number_of(const std::string& digits);

// A query parameter that must be a whole number within [lo, hi]; `fallback` when absent.
Result<int64_t> int_param(const Request& req, const char* name, int64_t fallback, int64_t lo,
                          int64_t hi);

// One message handed in over HTTP (`bytes`, named `source` in the store), stored then triaged
// as `kizuna ingest --stdin` does.
Result<app::IngestSummary> ingest_one(ApiContext& ctx, const std::string& bytes,
                                      const std::string& source);

// The request's body as a JSON object. kInvalidArgument (422) saying what is wrong: not JSON,
// not an object.
Result<Json> json_body(const Request& req);
// A member of `body` of the given type: kInvalidArgument naming it when it is missing (and
// `required`) or of another type. The fallback when absent and not required.
Result<std::string> string_member(const Json& body, const char* name, bool required,
                                  std::string fallback = {});
Result<std::vector<std::string>> strings_member(const Json& body, const char* name);
// A non-empty list of positive numbers (report or notice numbers); kInvalidArgument saying
// "`name` must be a list of `what` numbers" otherwise.
Result<std::vector<store::Id>> ids_member(const Json& body, const char* name, const char* what);

// The principal as the use cases of app/handling.h see it, under the centre's default TLP.
inline app::Acting acting(const ApiContext& ctx, const app::Principal& p) {
  return {p.actor(), &p, ctx.cfg.default_tlp};
}

// The report `id` if `p` may see it; kNotFound, as for a report that does not exist, otherwise.
inline Result<store::ReportRecord> visible_report(ApiContext& ctx, const app::Principal& p,
                                                  store::Id id) {
  return app::visible_report(ctx.db, acting(ctx, p), id);
}

// Adds /api/v1/session (login, who am I, logout) and /api/v1/setup (api_session.cpp).
void add_session_routes(Router& r, ApiContext& ctx);

// Adds a report's sites, site actions and checks, and the outbox (api_coordination.cpp).
void add_coordination_routes(Router& r, ApiContext& ctx);
// Adds raw messages, the quarantine, the figures and the scorecard (api_records.cpp).
void add_record_routes(Router& r, ApiContext& ctx);
// /api/v1/whois, /api/v1/contacts, /api/v1/directory (api_directory.cpp).
void add_directory_routes(Router& r, ApiContext& ctx);
// Adds users and their tokens, for admins (api_users.cpp).
void add_user_routes(Router& r, ApiContext& ctx);
// Adds POST /api/v1/submissions, the public report form (api_submissions.cpp).
void add_submission_routes(Router& r, ApiContext& ctx);
// Adds a handler's actions on reports and their notes (api_handling.cpp).
void add_handling_routes(Router& r, ApiContext& ctx);

}  // namespace kz::server::api
