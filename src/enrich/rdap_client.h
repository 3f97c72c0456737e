// Live RDAP look-ups (RFC 9082 paths: BASE/ip/ADDRESS, BASE/domain/NAME) through libcurl, with
// connect and total timeouts, a redirect limit (RDAP bootstrap servers redirect) and a body cap.
// Answers are kept in the store as RDAP documents, so each is fetched once: the cache.
#pragma once

#include <string>
#include <vector>

#include "core/ip.h"
#include "core/result.h"
#include "core/time.h"
#include "store/database.h"

namespace kz::enrich {

struct RdapClientOptions {
  std::string base_url;  // "https://rdap.example.net/" (with or without the final '/')
  long connect_timeout_ms = 3000;
  long timeout_ms = 10000;
  long max_redirects = 5;
  size_t max_bytes = 1 << 20;
};

struct RdapFetch {
  std::string url;
  bool found = false;  // 200 with a body; false for 404 ("no data")
  std::string body;
  std::string error;  // network errors, other statuses
};

class RdapClient {
 public:
  explicit RdapClient(RdapClientOptions options);
  RdapFetch fetch_ip(const Ip& ip) const;
  RdapFetch fetch_domain(const std::string& domain) const;
  // Any RDAP URL (BASE + path).
  RdapFetch get(const std::string& url) const;
  const RdapClientOptions& options() const { return options_; }

 private:
  RdapClientOptions options_;
};

// Fetches RDAP for the addresses (and registered domains) the cache does not hold yet and stores
// every answer (kind "rdap-live"). Returns how many were fetched. Store errors only; network errors
// are counted in `failures` and skipped.
Result<size_t> fetch_missing_rdap(store::NetworkDataStore& store, const RdapClient& client,
                                  const std::vector<Ip>& addresses, Time now, size_t* failures,
                                  const std::vector<std::string>& domains = {});

}  // namespace kz::enrich
