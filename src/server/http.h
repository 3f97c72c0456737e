// HTTP as the rest of the server sees it: a request already parsed and within limits, and the
// response to send. Only http_server.cpp knows Beast; routes, access checks and rendering work
// on these plain values, so they are tested and fuzzed without a socket.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ip.h"

namespace kz::server {

struct Request {
  std::string method;                          // GET, POST ...
  std::string path;                            // the target's path, percent-decoding not applied
  std::map<std::string, std::string> query;    // decoded; the last of a repeated name wins
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string peer;  // the client's address (or the proxy's: see trusted_proxies)

  // A header's value, "" when absent. `name` in lower case.
  std::string header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  // A JSON error body: {"error": {"code": ..., "message": ...}}, the message for a person.
  static Response error(int status, std::string_view code, std::string_view message);
  static Response json(int status, std::string body);
};

// Splits a request target into its path and decoded query parameters. Pure; never fails
// (malformed percent escapes are kept as written).
void split_target(std::string_view target, std::string& path,
                  std::map<std::string, std::string>& query);

// The client behind `peer`: when `peer` is one of the `trusted` proxies, the address its
// X-Forwarded-For names, read from the right and past every trusted proxy (the leftmost entries
// are whatever the client wrote, so they are never believed). `peer` itself otherwise, and when
// the header holds no address. Pure.
std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<Cidr>& trusted);

}  // namespace kz::server
