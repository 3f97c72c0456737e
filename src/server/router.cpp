#include "server/router.h"

#include "core/text.h"

namespace kz::server {

namespace {

bool is_number(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// True when `path` matches `pattern`, with the placeholders' values in `values`.
bool matches(std::string_view pattern, std::string_view path, PathValues& values) {
  values.clear();
  const auto want = split(pattern, '/');
  const auto got = split(path, '/');
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (!is_number(got[i])) return false;
      values.emplace_back(got[i]);
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  return true;
}

bool scope_allows(Access need, const app::Principal& p) {
  switch (need) {
    case Access::kPublic:
      return true;
    case Access::kRead:
      return p.has_scope("read") || p.has_scope("write");
    case Access::kWrite:
      return p.has_scope("write");
    case Access::kSubmit:
      return p.has_scope("messages:submit") || p.has_scope("write");
  }
  return false;
}

}  // namespace

const char* to_string(Access a) {
  switch (a) {
    case Access::kPublic:
      return "public";
    case Access::kRead:
      return "read";
    case Access::kWrite:
      return "write";
    case Access::kSubmit:
      return "messages:submit";
  }
  return "read";
}

namespace {

bool changes_something(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Compares in time that depends on the length only, not on where the first difference is.
bool same_secret(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < given.size(); ++i)
    diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

}  // namespace

Response error_response(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kParse:
      return Response::error(422, "invalid", e.to_string());
    case ErrorCode::kNotFound:
      return Response::error(404, "not_found", e.message);
    case ErrorCode::kDenied:
      return Response::error(403, "forbidden", e.message);
    case ErrorCode::kUnavailable: {
      Response r = Response::error(503, "unavailable",
                                   "the database cannot be reached now; try again shortly");
      r.headers.emplace_back("Retry-After", "5");
      return r;
    }
    case ErrorCode::kLimited: {
      Response r = Response::error(429, "too_many", e.message);
      r.headers.emplace_back("Retry-After", std::to_string(std::max(1, e.retry_after)));
      return r;
    }
    case ErrorCode::kIo:
    case ErrorCode::kCorruption:
    case ErrorCode::kInternal:
      break;
  }
  return Response::error(500, "internal", "the server failed; the administrators can see why");
}

Response Router::dispatch(const Request& req, const Authenticate& authenticate,
                          Dispatched& out) const {
  PathValues values;
  const Route* found = nullptr;
  std::string allow;
  for (const auto& r : routes_) {
    if (!matches(r.pattern, req.path, values)) continue;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      found = &r;
      break;
    }
    allow += (allow.empty() ? "" : ", ") + r.method;
  }
  if (!found) {
    if (allow.empty()) return Response::error(404, "not_found", "no such resource");
    Response r =
        Response::error(405, "method_not_allowed",
                        "this resource does not take " + req.method + "; it takes " + allow);
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  out.route = found->pattern;
  if (found->access == Access::kPublic) return found->handler(req, nullptr, values);
  auto who = authenticate(req);
  if (!who) {
    if (who.error().code != ErrorCode::kDenied) return error_response(who.error());
    Response r = Response::error(
        401, "unauthenticated",
        "log in (POST /api/v1/session) or give a valid token: Authorization: Bearer kzt_...");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"kizuna\"");
    return r;
  }
  out.user = who->name;
  if (!who->csrf.empty() && changes_something(req.method) &&
      !same_secret(req.header("x-csrf-token"), who->csrf)) {
    return Response::error(403, "csrf",
                           "this request changes something and needs the session's CSRF token in "
                           "X-CSRF-Token (GET /api/v1/session gives it)");
  }
  if (!scope_allows(found->access, *who)) {
    return Response::error(
        403, "forbidden",
        std::string("this needs a token with the ") + to_string(found->access) + " scope");
  }
  if (!found->roles.empty() && !found->roles.count(who->role)) {
    return Response::error(
        403, "forbidden",
        std::string("the role ") + app::to_string(who->role) + " may not do this");
  }
  return found->handler(req, &*who, values);
}

}  // namespace kz::server
