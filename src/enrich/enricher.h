// Enrichment of stored incidents: who holds each reported address, its origin AS, country,
// administrator and the routing decision with its reason. Newly ingested incidents are
// enriched after every ingest; `kizuna enrich --all` re-runs everything after new data loads.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "enrich/network_data.h"
#include "enrich/resolver.h"
#include "store/database.h"

namespace kz::enrich {

struct EnrichSummary {
  size_t incidents = 0;         // enriched now
  size_t routed = 0;            // with somebody to notify
  size_t resolved_hosts = 0;    // keyed by host, now by their addresses
  size_t unresolved_hosts = 0;  // keyed by host: no address (yet)
};

// One incident's enrichment from the loaded data alone (no network), stamped with the data's
// version: by its address when it has one (who holds it, the route, and the registrars of its
// sites' domains in copy), else by its host's domain (the directory, then a loaded registrar).
// `resolve_error`: why the host did not resolve, when that was tried. Intake calls it for each
// new incident as it is stored, so that most need no second write
// (docs/decisions/018-enrichment.md).
struct EnrichedIncident {
  store::IncidentEnrichment enrichment;
  bool routed = false;      // somebody to notify
  bool by_address = false;  // false: keyed by host
};
EnrichedIncident enrich_incident(const NetworkData& data, const RoutingPolicy& policy,
                                 const std::string& address, const std::string& host,
                                 const std::vector<std::string>& site_hosts,
                                 const std::string& resolve_error = "");

// Whether a live RDAP look-up could tell more: an address nobody is known to administer, or a
// host whose domain has no registrar loaded.
bool wants_live_rdap(const NetworkData& data, const RoutingPolicy& policy,
                     const std::string& address, const std::string& host);

// `all`: every incident; otherwise only those never enriched. Runs in one transaction. With a
// resolver, incidents keyed by host first gain their addresses (an incident per address);
// a host that does not resolve keeps its host key and says so in its route.
Result<EnrichSummary> enrich_incidents(store::Transactions& tx, store::IncidentStore& store,
                                       const NetworkData& data, const RoutingPolicy& policy,
                                       bool all, Resolver* resolver = nullptr);

}  // namespace kz::enrich
