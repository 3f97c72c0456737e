// The route table: every route the server answers, with what it needs from the caller, checked
// here before any handler runs. The table is data (routes()), so the access test can walk every
// route and fail on one it has no cases for.
//
// Dispatch order: the path (404 when nothing matches, 405 with Allow when only the method
// differs), then the caller (401 when a non-public route has no valid token), then the token's
// scope and the user's role (403), then the handler. A handler sees a principal that already
// passed these checks; what it shows (TLP, embargo) it decides itself.
//
// Thread-safety: built once, then dispatch() may be called from any thread; handlers are
// called on the calling thread.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "app/access.h"
#include "core/result.h"
#include "server/http.h"

namespace kz::server {

// What a route needs from the caller's token: nothing, the read scope, the write scope, or the
// scope to hand in messages.
enum class Access { kPublic, kRead, kWrite, kSubmit };
const char* to_string(Access a);

// The values of a pattern's {placeholders}, in order.
using PathValues = std::vector<std::string>;
using RouteHandler =
    std::function<Response(const Request&, const app::Principal*, const PathValues&)>;
// Who is calling: the principal of the request's credentials, kDenied when they are missing or
// not valid, kUnavailable when the store cannot say.
using Authenticate = std::function<Result<app::Principal>(const Request&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/reports/{id}": {id} matches a number of 1 to 18 digits
  Access access = Access::kRead;
  std::set<app::Role> roles;  // empty: every role
  RouteHandler handler;
};

// What dispatch() learned, for the metrics and the access log.
struct Dispatched {
  std::string route = "unmatched";  // the pattern, never the raw path (bounded label values)
  std::string user;                 // "" when not authenticated
};

class Router {
 public:
  void add(Route r) { routes_.push_back(std::move(r)); }
  const std::vector<Route>& routes() const { return routes_; }

  Response dispatch(const Request& req, const Authenticate& authenticate, Dispatched& out) const;

 private:
  std::vector<Route> routes_;
};

// An error of a use case as the API answers it: kInvalidArgument 422, kNotFound 404, kDenied 403,
// kUnavailable 503 with Retry-After, anything else 500 without the internal detail.
Response error_response(const Error& e);

}  // namespace kz::server
