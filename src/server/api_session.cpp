// Logins over HTTP: POST /api/v1/session (log in), GET (who am I, and the CSRF token), DELETE (log
// out); POST /api/v1/setup (the first admin, through the link `serve` prints); and who a request
// acts for (authenticator()).
//
// The session is a cookie: HttpOnly (scripts cannot read it), SameSite=Strict (another site's
// page cannot make the browser send it), Secure unless [server] secure_cookies is off. Requests
// that change something also carry the CSRF token in X-CSRF-Token (the router checks it), which
// a page of another origin cannot read.
#include "server/api_util.h"

namespace kz::server {

namespace {

using namespace api;

// The value of cookie `name` in a Cookie header, "" when absent.
std::string cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

std::string session_cookie(const ApiContext& ctx, const std::string& value, int64_t max_age) {
  return std::string(kSessionCookie) + "=" + value +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age) +
         (ctx.cfg.secure_cookies ? "; Secure" : "");
}

Json session_json(const app::Principal& p, const std::string& csrf, Time expires_at) {
  Json j{{"user", p.name}, {"role", app::to_string(p.role)}, {"csrf_token", csrf}};
  if (expires_at != Time{}) j["expires_at"] = format_utc(expires_at);
  return j;
}

Response logged_in(ApiContext& ctx, const app::NewSession& s, int status) {
  Response r = json_response(session_json(s.principal, s.csrf, s.expires_at), status);
  const auto max_age =
      std::chrono::duration_cast<std::chrono::seconds>(s.expires_at - ctx.clock.now()).count();
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx, s.token, max_age));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// A refused login: 401 whatever was wrong (the message does not say which), 429 while paused.
Response login_refused(const Error& e) {
  if (e.code != ErrorCode::kDenied) return error_response(e);
  const bool ask_code = e.context == "totp";
  Response r = Response::error(401, ask_code ? "totp_required" : "login_failed", e.message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kizuna\"");
  return r;
}

// What a login and the setup both read: the body with its user and password, once the client's
// address is not paused (a refused setup token counts like a failed login too).
struct Credentials {
  Json body;
  std::string user, password;
};
Result<Credentials> credentials(ApiContext& ctx, const Request& req, Time now) {
  if (auto s = ctx.login_failures.check(req.peer, now, "failed logins"); !s) return fail(s.error());
  auto body = json_body(req);
  if (!body) return fail(body.error());
  auto user = string_member(*body, "user", true);
  if (!user) return fail(user.error());
  auto password = string_member(*body, "password", true);
  if (!password) return fail(password.error());
  return Credentials{std::move(*body), std::move(*user), std::move(*password)};
}

Response post_session(ApiContext& ctx, const Request& req) {
  const Time now = ctx.clock.now();
  auto c = credentials(ctx, req, now);
  if (!c) return error_response(c.error());
  auto code = string_member(c->body, "totp", false);
  if (!code) return error_response(code.error());
  auto s = app::login(ctx.db, now, ctx.cfg.login, c->user, c->password, *code, req.peer);
  if (!s) {
    if (s.error().code == ErrorCode::kDenied && s.error().context != "totp")
      ctx.login_failures.count(req.peer, now);
    return login_refused(s.error());
  }
  return logged_in(ctx, *s, 200);
}

Response get_session(const app::Principal& p) {
  Json j = session_json(p, p.csrf, Time{});
  j["via"] = p.session ? "session" : "token";
  if (!p.session) j["csrf_token"] = nullptr;
  return json_response(j);
}

Response delete_session(ApiContext& ctx, const Request& req, const app::Principal& p) {
  if (!p.session) {
    return Response::error(422, "invalid",
                           "an API token is not logged out: revoke it (kizuna user revoke)");
  }
  if (auto s =
          app::logout(ctx.db, ctx.clock.now(), cookie_value(req.header("cookie"), kSessionCookie));
      !s)
    return error_response(s.error());
  Response r = json_response({{"ended", true}});
  r.headers.emplace_back("Set-Cookie", session_cookie(ctx, "", 0));
  return r;
}

Response post_setup(ApiContext& ctx, const Request& req) {
  const Time now = ctx.clock.now();
  auto c = credentials(ctx, req, now);
  if (!c) return error_response(c.error());
  auto token = string_member(c->body, "token", true);
  if (!token) return error_response(token.error());
  auto s = app::complete_setup(ctx.db, now, ctx.cfg.login, *token, c->user, c->password, req.peer);
  if (!s) {
    if (s.error().code == ErrorCode::kDenied) ctx.login_failures.count(req.peer, now);
    return error_response(s.error());
  }
  return logged_in(ctx, *s, 201);
}

}  // namespace

namespace api {

void add_session_routes(Router& r, ApiContext& ctx) {
  r.add({"POST",
         "/api/v1/session",
         Access::kPublic,
         {},
         [&ctx](const Request& req, const app::Principal*, const PathValues&) {
           return post_session(ctx, req);
         }});
  r.add(
      {"GET",
       "/api/v1/session",
       Access::kRead,
       {},
       [](const Request&, const app::Principal* p, const PathValues&) { return get_session(*p); }});
  r.add({"DELETE",
         "/api/v1/session",
         Access::kRead,
         {},
         [&ctx](const Request& req, const app::Principal* p, const PathValues&) {
           return delete_session(ctx, req, *p);
         }});
  r.add({"POST",
         "/api/v1/setup",
         Access::kPublic,
         {},
         [&ctx](const Request& req, const app::Principal*, const PathValues&) {
           return post_setup(ctx, req);
         }});
}

}  // namespace api

Authenticate authenticator(ApiContext& ctx) {
  return [&ctx](const Request& req) -> Result<app::Principal> {
    const std::string auth = req.header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (!auth.empty()) {
      if (auth.size() <= kBearer.size() || auth.compare(0, kBearer.size(), kBearer) != 0) {
        return fail(Error::Denied("no token given"));
      }
      return app::authenticate_token(ctx.db, ctx.clock.now(),
                                     std::string_view(auth).substr(kBearer.size()));
    }
    const std::string session = cookie_value(req.header("cookie"), kSessionCookie);
    if (session.empty()) return fail(Error::Denied("no token given"));
    return app::authenticate_session(ctx.db, ctx.clock.now(), ctx.cfg.login, session);
  };
}

}  // namespace kz::server
