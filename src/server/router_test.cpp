// The route table's checks (router.h), before any handler runs, and the raw HTTP entry point
// (http_server.h respond_to_bytes) the fuzz target drives.
#include "server/router.h"

#include <gtest/gtest.h>

#include "server/http_server.h"

namespace kz::server {
namespace {

app::Principal principal(app::Role role, std::set<std::string> scopes) {
  return app::Principal::of(1, "tanaka", role, std::move(scopes), 7);
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto echo = [this](const Request&, const app::Principal* p, const PathValues& v) {
      ++calls_;
      seen_ = p ? p->name : "";
      values_ = v;
      return Response::json(200, "{}");
    };
    router_.add({"GET", "/healthz", Access::kPublic, {}, echo});
    router_.add({"GET", "/api/v1/reports/{id}", Access::kRead, {}, echo});
    router_.add({"POST", "/api/v1/reports/{id}", Access::kWrite, {}, echo});
    router_.add({"POST", "/api/v1/messages", Access::kSubmit, {}, echo});
    router_.add({"GET", "/api/v1/users", Access::kRead, {app::Role::kAdmin}, echo});
  }
  Response call(const std::string& method, const std::string& target) {
    Request req;
    req.method = method;
    split_target(target, req.path, req.query);
    Dispatched d;
    Response r = router_.dispatch(req, auth_, d);
    route_ = d.route;
    return r;
  }

  Router router_;
  int calls_ = 0;
  std::string seen_, route_;
  PathValues values_;
  Result<app::Principal> who_ = fail(Error::Denied("no token given"));
  Authenticate auth_ = [this](const Request&) { return who_; };
};

TEST_F(RouterTest, PathsMethodsAndPlaceholders) {
  EXPECT_EQ(call("GET", "/nowhere").status, 404);
  EXPECT_EQ(route_, "unmatched") << "a raw path never becomes a metrics label";
  EXPECT_EQ(call("GET", "/api/v1/reports/abc").status, 404) << "{id} is a number";
  EXPECT_EQ(call("GET", "/api/v1/reports/1234567890123456789").status, 404) << "19 digits";
  EXPECT_EQ(call("GET", "/api/v1/reports/12/").status, 404);
  const Response r = call("DELETE", "/api/v1/reports/12");
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Allow", "GET, POST"}));
  EXPECT_EQ(call("GET", "/healthz?x=1").status, 200) << "public: no token asked";
  EXPECT_EQ(calls_, 1);
}

TEST_F(RouterTest, NoHandlerRunsWithoutTheRightTokenScopeAndRole) {
  Response r = call("GET", "/api/v1/reports/12");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
  who_ = principal(app::Role::kAnalyst, {"messages:submit"});
  EXPECT_EQ(call("GET", "/api/v1/reports/12").status, 403) << "submit does not read";
  who_ = principal(app::Role::kAnalyst, {"read"});
  EXPECT_EQ(call("POST", "/api/v1/reports/12").status, 403) << "read does not write";
  EXPECT_EQ(call("POST", "/api/v1/messages").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/users").status, 403) << "admins only";
  EXPECT_EQ(calls_, 0);
  EXPECT_EQ(call("GET", "/api/v1/reports/12").status, 200);
  EXPECT_EQ(seen_, "tanaka");
  EXPECT_EQ(values_, PathValues{"12"});
  who_ = principal(app::Role::kHandler, {"write"});
  EXPECT_EQ(call("GET", "/api/v1/reports/12").status, 200) << "write includes read";
  EXPECT_EQ(call("POST", "/api/v1/messages").status, 200) << "write includes submit";
  who_ = principal(app::Role::kAdmin, {"read"});
  EXPECT_EQ(call("GET", "/api/v1/users").status, 200);
  who_ = fail(Error::Unavailable("database down"));
  r = call("GET", "/api/v1/reports/12");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers[0], (std::pair<std::string, std::string>{"Retry-After", "5"}));
}

TEST_F(RouterTest, ASessionChangesNothingWithoutItsCsrfToken) {
  app::Principal session = principal(app::Role::kHandler, {"read", "write"});
  session.session = 3;
  session.csrf = std::string(64, 'c');
  who_ = session;
  auto post = [&](const std::string& csrf) {
    Request req;
    req.method = "POST";
    req.path = "/api/v1/reports/12";
    if (!csrf.empty()) req.headers["x-csrf-token"] = csrf;
    Dispatched d;
    return router_.dispatch(req, auth_, d);
  };
  Response r = post("");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("\"csrf\""), std::string::npos);
  EXPECT_EQ(post(std::string(64, 'd')).status, 403);
  EXPECT_EQ(post(std::string(63, 'c')).status, 403);
  EXPECT_EQ(calls_, 0);
  EXPECT_EQ(post(std::string(64, 'c')).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/reports/12").status, 200) << "reading needs no CSRF token";
  who_ = principal(app::Role::kHandler, {"read", "write"});  // an API token
  EXPECT_EQ(post("").status, 200) << "a browser never sends a token by itself";
}

TEST_F(RouterTest, RawBytesGetAnAnswerOrNoneNeverACrash) {
  const HttpOptions options;
  auto handler = [this](const Request& req) {
    Dispatched d;
    return router_.dispatch(req, auth_, d);
  };
  const std::string ok =
      respond_to_bytes("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", options, handler);
  EXPECT_EQ(ok.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << ok;
  EXPECT_NE(ok.find("Cache-Control: no-store"), std::string::npos);
  EXPECT_EQ(respond_to_bytes("GARBAGE\r\n\r\n", options, handler).rfind("HTTP/1.1 400", 0), 0u);
  HttpOptions small;
  small.body_limit = 4;
  EXPECT_EQ(respond_to_bytes("POST /api/v1/messages HTTP/1.1\r\nContent-Length: 10\r\n\r\n"
                             "0123456789",
                             small, handler)
                .rfind("HTTP/1.1 413", 0),
            0u);
  EXPECT_EQ(respond_to_bytes("GET /healthz HTTP/1.1\r\nHost:", options, handler), "")
      << "a request cut short gets no answer";
  const std::string head =
      respond_to_bytes("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n", options, handler);
  EXPECT_NE(head.find("Content-Length: 2\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.substr(head.size() - 4), "\r\n\r\n") << "HEAD: no body";
}

}  // namespace
}  // namespace kz::server

namespace kz::server {
namespace {

// [server] trusted_proxies: X-Forwarded-For is believed from a trusted proxy only, read from the
// right, never past the first address a trusted proxy did not add.
TEST(ClientAddress, OnlyTrustedProxiesNameTheClient) {
  const std::vector<Cidr> trusted = {*Cidr::parse("127.0.0.1/32"), *Cidr::parse("10.0.0.0/8")};
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.23", trusted), "198.51.100.23");
  EXPECT_EQ(client_address("203.0.113.5", "198.51.100.23", trusted), "203.0.113.5")
      << "a client may not name itself";
  EXPECT_EQ(client_address("127.0.0.1", "6.6.6.6, 198.51.100.23, 10.1.2.3", trusted),
            "198.51.100.23")
      << "past the trusted hops, not to what the client wrote first";
  EXPECT_EQ(client_address("127.0.0.1", "", trusted), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "garbage", trusted), "127.0.0.1");
  EXPECT_EQ(client_address("127.0.0.1", "2001:db8::1", trusted), "2001:db8::1");
  EXPECT_EQ(client_address("127.0.0.1", "198.51.100.23", {}), "127.0.0.1") << "no proxy trusted";
}

}  // namespace
}  // namespace kz::server
