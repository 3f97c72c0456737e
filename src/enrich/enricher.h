// Enrichment of stored incidents: who holds each reported address, its origin AS, country,
// administrator and the routing decision with its reason. Newly ingested incidents are
// enriched after every ingest; `kizuna enrich --all` re-runs everything after new data loads.
#pragma once

#include "core/result.h"
#include "enrich/network_data.h"
#include "enrich/resolver.h"
#include "store/store.h"

namespace kz::enrich {

struct EnrichSummary {
  size_t incidents = 0;  // enriched now
  size_t routed = 0;     // with somebody to notify
  size_t resolved_hosts = 0;    // keyed by host, now by their addresses
  size_t unresolved_hosts = 0;  // keyed by host: no address (yet)
};

// `all`: every incident; otherwise only those never enriched. Runs in one transaction. With a
// resolver, incidents keyed by host first gain their addresses (an incident per address);
// a host that does not resolve keeps its host key and says so in its route.
Result<EnrichSummary> enrich_incidents(store::Store& store, const NetworkData& data, const RoutingPolicy& policy,
                                       bool all, Resolver* resolver = nullptr);

}  // namespace kz::enrich
