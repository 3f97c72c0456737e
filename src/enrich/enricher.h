// Enrichment of stored incidents: who holds each reported address, its origin AS, country,
// administrator and the routing decision with its reason. Newly ingested incidents are
// enriched after every ingest; `kizuna enrich --all` re-runs everything after new data loads.
#pragma once

#include <map>
#include <optional>
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

// What a host-keyed incident whose host resolved to `ips` becomes, given the addresses the
// report has incidents for already (`known`: address -> incident). Pure.
struct AddressPlan {
  // Per address of `ips`, in order: the incident it belongs to (a known one), or nullopt for the
  // first address the report does not have (the host's incident becomes it) and, after it, for
  // each further one (a new incident with the same sites).
  std::vector<std::optional<store::Id>> targets;
  // Every address was known already: their incidents take the sites and the host's incident
  // goes (else it would wait for resolution and be listed beside the addresses forever).
  bool absorb = false;
};
AddressPlan plan_host_addresses(const std::vector<std::string>& ips,
                                const std::map<std::string, store::Id>& known);

// Applies that plan to `incident` (keyed by host): the incident of the first new address, one
// incident per further address with the same sites, the sites copied to known addresses. Returns
// the address incidents in the order of `ips`. kNotFound: no such incident.
Result<std::vector<store::Id>> assign_host_addresses(store::IncidentStore& store,
                                                     store::Id incident,
                                                     const std::vector<std::string>& ips);

// `all`: every incident; otherwise only those never enriched. Runs in one transaction. With a
// resolver, incidents keyed by host first gain their addresses (an incident per address);
// a host that does not resolve keeps its host key and says so in its route.
Result<EnrichSummary> enrich_incidents(store::Transactions& tx, store::IncidentStore& store,
                                       const NetworkData& data, const RoutingPolicy& policy,
                                       bool all, Resolver* resolver = nullptr);

}  // namespace kz::enrich
