#include "cli/context.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "core/ip.h"
#include "enrich/loader.h"
#include "enrich/network_data.h"
#include "enrich/rdap_client.h"
#include "enrich/resolver.h"
#include "triage/reporters.h"

namespace kz::cli {

int report_error(const Error& e) {
  std::cerr << "kizuna: " << e.to_string() << "\n";
  if (e.code == ErrorCode::kUnavailable) return kExitTempFail;
  return kExitUser;
}

// Loads configuration and clock; nullopt after printing the error.
std::optional<Context> make_context(const Common& c, int& exit_code) {
  auto cfg = load_config(c.config_path);
  if (!cfg) {
    exit_code = report_error(cfg.error());
    return std::nullopt;
  }
  Context ctx{std::move(*cfg), nullptr, TimeZone(), "", c.json};
  if (!c.db.empty()) ctx.cfg.db = c.db;
  ctx.zone = TimeZone(ctx.cfg.time_zone);
  ctx.lang = !c.lang.empty() ? c.lang : ctx.cfg.lang;
  if (ctx.lang != "ja" && ctx.lang != "en") {
    exit_code = report_error(Error::InvalidArgument("--lang must be ja or en", ctx.lang));
    return std::nullopt;
  }
  std::string now = c.now;
  if (now.empty()) {
    if (const char* env = std::getenv("KIZUNA_NOW"); env && *env) now = env;
  }
  if (!now.empty()) {
    auto t = parse_iso8601(now, ctx.zone);
    if (!t) {
      exit_code = report_error(
          Error::InvalidArgument("--now is not a time such as 2008-04-15T10:00+09:00", now));
      return std::nullopt;
    }
    ctx.clock = std::make_unique<FixedClock>(*t);
  } else {
    ctx.clock = std::make_unique<SystemClock>();
  }
  if (!ctx.cfg.gnupg_home.empty()) setenv("GNUPGHOME", ctx.cfg.gnupg_home.c_str(), 1);
  return ctx;
}

Result<std::unique_ptr<store::Store>> open_store(const Context& ctx) {
  const auto parent = std::filesystem::path(ctx.cfg.db).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return store::open_sqlite_store(ctx.cfg.db);
}

Result<enrich::EnrichSummary> enrich_store(const Context& ctx, store::Store& store, bool all,
                                           std::shared_ptr<const enrich::NetworkData> loaded) {
  Result<std::shared_ptr<const enrich::NetworkData>> data =
      loaded ? std::move(loaded) : enrich::NetworkData::load(store);
  if (!data) return fail(data.error());
  if (!ctx.cfg.rdap.base_url.empty()) {
    // Live RDAP for the addresses nobody is known to administer; answers are cached in the store.
    auto todo = store.incidents_to_enrich(all);
    if (!todo) return fail(todo.error());
    std::vector<Ip> unknown;
    std::vector<std::string> domains;  // of hosts with no address: their registrars
    for (const auto& inc : *todo) {
      if (!enrich::wants_live_rdap(**data, ctx.cfg.routing, inc.ip, inc.host)) continue;
      if (auto ip = Ip::parse(inc.ip)) {
        unknown.push_back(*ip);
      } else {
        domains.push_back(triage::registered_domain(inc.host));
      }
    }
    size_t failures = 0;
    auto fetched = enrich::fetch_missing_rdap(store, enrich::RdapClient(ctx.cfg.rdap), unknown,
                                              ctx.clock->now(), &failures, domains);
    if (!fetched) return fail(fetched.error());
    if (*fetched > 0) {
      data = enrich::NetworkData::load(store);
      if (!data) return fail(data.error());
    }
  }
  std::unique_ptr<enrich::Resolver> resolver;
  if (ctx.cfg.resolve_hosts) {
    auto r = enrich::Resolver::create(ctx.cfg.resolver);
    if (!r) return fail(r.error());
    resolver = std::move(*r);
  }
  return enrich::enrich_incidents(store, **data, ctx.cfg.routing, all, resolver.get());
}

triage::IngestOptions::Enrich enrich_at_ingest(const Context& ctx,
                                               std::shared_ptr<const enrich::NetworkData> data) {
  return [&ctx, data = std::move(data)](
             const store::IncidentRecord& inc,
             const std::vector<std::string>& site_hosts) -> store::IncidentEnrichment {
    // What needs the network waits for enrich_store after the ingest: hosts to resolve, and
    // what live RDAP could tell.
    if (inc.ip.empty() && ctx.cfg.resolve_hosts) return {};
    if (!ctx.cfg.rdap.base_url.empty() &&
        enrich::wants_live_rdap(*data, ctx.cfg.routing, inc.ip, inc.host))
      return {};
    return enrich::enrich_incident(*data, ctx.cfg.routing, inc.ip, inc.host, site_hosts).enrichment;
  };
}

}  // namespace kz::cli
