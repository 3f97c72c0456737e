#include "enrich/resolver.h"

#include <ares.h>
#include <arpa/inet.h>
#include <sys/select.h>

#include <algorithm>
#include <mutex>

namespace kz::enrich {

struct Resolver::Impl {
  ares_channel channel = nullptr;
  ~Impl() {
    if (channel) ares_destroy(channel);
  }
};

namespace {

struct Query {
  std::string host;
  Resolution* out;
};

void on_addrinfo(void* arg, int status, int /*timeouts*/, struct ares_addrinfo* result) {
  auto* q = static_cast<Query*>(arg);
  if (status != ARES_SUCCESS || !result) {
    switch (status) {
      case ARES_ENOTFOUND:
      case ARES_ENODATA:
        q->out->error = "does not resolve (NXDOMAIN or no address)";
        break;
      case ARES_ETIMEOUT:
        q->out->error = "no answer from the DNS server in time";
        break;
      case ARES_ECONNREFUSED:
        q->out->error =
            "the DNS server refused the connection (check [resolver] servers or [checker] "
            "dns_servers)";
        break;
      default:
        q->out->error = std::string("resolution failed: ") + ares_strerror(status);
    }
    if (result) ares_freeaddrinfo(result);
    return;
  }
  for (auto* node = result->nodes; node; node = node->ai_next) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (node->ai_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(node->ai_addr)->sin_addr, buf, sizeof buf);
    } else if (node->ai_family == AF_INET6) {
      inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(node->ai_addr)->sin6_addr, buf,
                sizeof buf);
    } else {
      continue;
    }
    if (auto ip = Ip::parse(buf)) {
      if (std::find(q->out->addresses.begin(), q->out->addresses.end(), *ip) ==
          q->out->addresses.end()) {
        q->out->addresses.push_back(*ip);
      }
    }
  }
  std::sort(q->out->addresses.begin(), q->out->addresses.end());
  if (q->out->addresses.empty()) q->out->error = "does not resolve (no A or AAAA record)";
  ares_freeaddrinfo(result);
}

}  // namespace

Result<std::unique_ptr<Resolver>> Resolver::create(const ResolverOptions& options) {
  static std::once_flag once;
  static int init_status = ARES_SUCCESS;
  std::call_once(once, [] { init_status = ares_library_init(ARES_LIB_INIT_ALL); });
  if (init_status != ARES_SUCCESS)
    return fail(Error::Unavailable("c-ares could not start", ares_strerror(init_status)));
  std::unique_ptr<Resolver> r(new Resolver(options));
  r->impl_ = std::make_unique<Impl>();
  ares_options opts{};
  opts.timeout = options.timeout_ms;
  opts.tries = options.tries;
  const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
  if (int rc = ares_init_options(&r->impl_->channel, &opts, mask); rc != ARES_SUCCESS) {
    return fail(Error::Unavailable("c-ares could not start", ares_strerror(rc)));
  }
  if (!options.servers.empty()) {
    if (int rc = ares_set_servers_ports_csv(r->impl_->channel, options.servers.c_str());
        rc != ARES_SUCCESS) {
      return fail(Error::InvalidArgument(std::string("bad resolver list: ") + ares_strerror(rc),
                                         options.servers));
    }
  }
  return r;
}

Resolver::Resolver(ResolverOptions options) : options_(std::move(options)) {}
Resolver::~Resolver() = default;

std::map<std::string, Resolution> Resolver::resolve(const std::vector<std::string>& hosts) {
  std::map<std::string, Resolution> out;
  std::vector<std::unique_ptr<Query>> queries;
  const auto now = std::chrono::steady_clock::now();
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  for (const auto& h : hosts) {
    if (out.count(h)) continue;
    if (auto it = cache_.find(h); it != cache_.end() && it->second.expires > now) {
      out[h] = it->second.result;
      continue;
    }
    auto& slot = out[h];
    queries.push_back(std::make_unique<Query>(Query{h, &slot}));
    ares_getaddrinfo(impl_->channel, h.c_str(), nullptr, &hints, on_addrinfo, queries.back().get());
  }
  // The event loop: bounded by c-ares's own timeouts and tries.
  while (true) {
    fd_set read_fds;
    fd_set write_fds;
    FD_ZERO(&read_fds);
    FD_ZERO(&write_fds);
    const int nfds = ares_fds(impl_->channel, &read_fds, &write_fds);
    if (nfds == 0) break;
    timeval tv{};
    timeval* tvp = ares_timeout(impl_->channel, nullptr, &tv);
    select(nfds, &read_fds, &write_fds, nullptr, tvp);
    ares_process(impl_->channel, &read_fds, &write_fds);
  }
  const auto expires = std::chrono::steady_clock::now() + options_.cache_ttl;
  for (const auto& q : queries) cache_[q->host] = {*q->out, expires};
  return out;
}

}  // namespace kz::enrich
