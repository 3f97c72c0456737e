// Host names to addresses through c-ares: A and AAAA together, many names at once on one
// channel, bounded by per-query timeouts and tries, with a cache. Tests never use the system
// resolver: they give `servers` (dnsmasq on 127.0.0.1).
//
// Not thread-safe: one Resolver per thread.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/ip.h"
#include "core/result.h"

namespace kz::enrich {

struct ResolverOptions {
  std::string servers;    // "127.0.0.1:5353,[::1]:53"; empty: /etc/resolv.conf
  int timeout_ms = 2000;  // per try
  int tries = 2;
  std::chrono::seconds cache_ttl{3600};
};

struct Resolution {
  std::vector<Ip> addresses;  // sorted, IPv4 first
  std::string error;          // empty when resolved: "does not resolve (NXDOMAIN)", "timeout" ...
  bool resolved() const { return !addresses.empty(); }
};

class Resolver {
 public:
  // kInvalidArgument for a bad server list; kUnavailable when c-ares cannot start.
  static Result<std::unique_ptr<Resolver>> create(const ResolverOptions& options);
  ~Resolver();
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Resolves every name (answers from the cache when fresh); returns one entry per name.
  std::map<std::string, Resolution> resolve(const std::vector<std::string>& hosts);

 private:
  explicit Resolver(ResolverOptions options);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ResolverOptions options_;
  struct Cached {
    Resolution result;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, Cached> cache_;
};

}  // namespace kz::enrich
