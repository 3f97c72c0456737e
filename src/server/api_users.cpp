// Users and their API tokens over HTTP, for admins (app/access.h): list, add, disable, make and
// revoke tokens. A new token is in the answer once; no answer ever holds a hash or a password.
#include "server/api_util.h"

namespace kz::server {

namespace {

using namespace api;

const std::set<app::Role> kAdmins = {app::Role::kAdmin};

Response get_users(ApiContext& ctx) {
  auto users = app::list_users(ctx.db);
  if (!users) return error_response(users.error());
  Json out = Json::array();
  for (const auto& u : *users) out.push_back(app::user_json(u));
  return json_response({{"users", out}});
}

Response post_user(ApiContext& ctx, const Request& req, const app::Principal& p) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto name = string_member(*body, "name", true);
  if (!name) return error_response(name.error());
  auto role_name = string_member(*body, "role", false, "handler");
  if (!role_name) return error_response(role_name.error());
  auto password = string_member(*body, "password", false);
  if (!password) return error_response(password.error());
  auto role = app::parse_role(*role_name);
  if (!role) {
    return error_response(
        Error::InvalidArgument("role must be admin, handler or analyst", *role_name));
  }
  auto id = app::add_user(ctx.db, ctx.clock.now(), *name, *role, *password, p.actor());
  if (!id) return error_response(id.error());
  return json_response({{"user", *id}, {"name", *name}, {"role", *role_name}}, 201);
}

Response post_disable(ApiContext& ctx, const app::Principal& p, store::Id id) {
  auto name = app::user_name(ctx.db, id);
  if (!name) return error_response(name.error());
  if (id == p.user) {
    return error_response(Error::InvalidArgument("an admin does not disable themselves"));
  }
  if (auto s = app::disable_user(ctx.db, ctx.clock.now(), *name, p.actor()); !s)
    return error_response(s.error());
  return json_response({{"user", id}, {"disabled", true}});
}

Response post_token(ApiContext& ctx, const Request& req, const app::Principal& p, store::Id id) {
  auto body = json_body(req);
  if (!body) return error_response(body.error());
  auto scopes = strings_member(*body, "scopes");
  if (!scopes) return error_response(scopes.error());
  auto label = string_member(*body, "label", false);
  if (!label) return error_response(label.error());
  std::optional<std::chrono::seconds> lifetime;
  if (auto it = body->find("days"); it != body->end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 1 || it->get<int64_t>() > 3650) {
      return error_response(Error::InvalidArgument("days must be a number from 1 to 3650"));
    }
    lifetime = std::chrono::hours(24) * it->get<int64_t>();
  }
  auto name = app::user_name(ctx.db, id);
  if (!name) return error_response(name.error());
  auto t = app::create_token(ctx.db, ctx.clock.now(), *name, *scopes, *label, lifetime, p.actor());
  if (!t) return error_response(t.error());
  return json_response({{"token_id", t->id}, {"token", t->token}}, 201);
}

Response post_revoke(ApiContext& ctx, const app::Principal& p, store::Id user, store::Id token) {
  auto name = app::user_name(ctx.db, user);
  if (!name) return error_response(name.error());
  if (auto s = app::revoke_token(ctx.db, ctx.clock.now(), *name, token, p.actor()); !s)
    return error_response(s.error());
  return json_response({{"token_id", token}, {"revoked", true}});
}

}  // namespace

namespace api {

void add_user_routes(Router& r, ApiContext& ctx) {
  using V = const PathValues&;
  using P = const app::Principal*;
  r.add({"GET", "/api/v1/users", Access::kRead, kAdmins,
         [&ctx](const Request&, P, V) { return get_users(ctx); }});
  r.add({"POST", "/api/v1/users", Access::kWrite, kAdmins,
         [&ctx](const Request& req, P p, V) { return post_user(ctx, req, *p); }});
  r.add({"POST", "/api/v1/users/{id}/disable", Access::kWrite, kAdmins,
         [&ctx](const Request&, P p, V v) { return post_disable(ctx, *p, number_of(v[0])); }});
  r.add(
      {"POST", "/api/v1/users/{id}/tokens", Access::kWrite, kAdmins,
       [&ctx](const Request& req, P p, V v) { return post_token(ctx, req, *p, number_of(v[0])); }});
  r.add({"POST", "/api/v1/users/{id}/tokens/{token}/revoke", Access::kWrite, kAdmins,
         [&ctx](const Request&, P p, V v) {
           return post_revoke(ctx, *p, number_of(v[0]), number_of(v[1]));
         }});
}

}  // namespace api

}  // namespace kz::server
