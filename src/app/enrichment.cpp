#include "app/enrichment.h"

#include "core/ip.h"
#include "enrich/loader.h"
#include "enrich/network_data.h"
#include "enrich/rdap_client.h"
#include "enrich/resolver.h"
#include "triage/reporters.h"

namespace kz::app {

Result<enrich::EnrichSummary> enrich_store(const Config& cfg, const Clock& clock,
                                           store::Database& store, bool all,
                                           std::shared_ptr<const enrich::NetworkData> loaded) {
  Result<std::shared_ptr<const enrich::NetworkData>> data =
      loaded ? std::move(loaded)
             : enrich::NetworkData::load(store.network_data(), store.settings());
  if (!data) return fail(data.error());
  if (!cfg.rdap.base_url.empty()) {
    // Live RDAP for the addresses nobody is known to administer; answers are cached in the store.
    auto todo = store.incidents().incidents_to_enrich(all);
    if (!todo) return fail(todo.error());
    std::vector<Ip> unknown;
    std::vector<std::string> domains;  // of hosts with no address: their registrars
    for (const auto& inc : *todo) {
      if (!enrich::wants_live_rdap(**data, cfg.routing, inc.ip, inc.host)) continue;
      if (auto ip = Ip::parse(inc.ip)) {
        unknown.push_back(*ip);
      } else {
        domains.push_back(triage::registered_domain(inc.host));
      }
    }
    size_t failures = 0;
    auto fetched = enrich::fetch_missing_rdap(store.network_data(), enrich::RdapClient(cfg.rdap),
                                              unknown, clock.now(), &failures, domains);
    if (!fetched) return fail(fetched.error());
    if (*fetched > 0) {
      data = enrich::NetworkData::load(store.network_data(), store.settings());
      if (!data) return fail(data.error());
    }
  }
  std::unique_ptr<enrich::Resolver> resolver;
  if (cfg.resolve_hosts) {
    auto r = enrich::Resolver::create(cfg.resolver);
    if (!r) return fail(r.error());
    resolver = std::move(*r);
  }
  return enrich::enrich_incidents(store, store.incidents(), **data, cfg.routing, all,
                                  resolver.get());
}

triage::IngestOptions::Enrich enrich_at_ingest(const Config& cfg,
                                               std::shared_ptr<const enrich::NetworkData> data) {
  return [&cfg, data = std::move(data)](
             const store::IncidentRecord& inc,
             const std::vector<std::string>& site_hosts) -> store::IncidentEnrichment {
    // What needs the network waits for enrich_store after the ingest: hosts to resolve, and
    // what live RDAP could tell.
    if (inc.ip.empty() && cfg.resolve_hosts) return {};
    if (!cfg.rdap.base_url.empty() && enrich::wants_live_rdap(*data, cfg.routing, inc.ip, inc.host))
      return {};
    return enrich::enrich_incident(*data, cfg.routing, inc.ip, inc.host, site_hosts).enrichment;
  };
}

}  // namespace kz::app
