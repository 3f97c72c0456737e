// Incidents: one address (or, until it resolves, one host) of a report, with its ports, its
// classification and what enrichment found for it.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/taxonomy.h"
#include "store/common.h"

namespace kz::store {

struct PortHit {
  std::string proto = "tcp";
  int port = 0;
  int hits = 1;
};

// What enrichment found for an incident.
struct IncidentEnrichment {
  std::optional<uint32_t> asn;
  std::string as_name;
  std::string country;
  std::string org;
  std::string org_kind;  // isp | company | school | overseas | other
  std::string route;     // JSON {"to":[...],"reason":"..."}
  int64_t version = 0;   // of the data it came from; 0: not enriched
};

struct IncidentRecord {
  Id id = 0;
  Id report = 0;
  std::string ip;    // canonical address, empty while keyed by host
  std::string host;  // set when keyed by host
  Classification cls;
  std::string brand;
  std::string brand_origin;
  std::optional<Time> first_seen;
  Time created_at{};
  // Written with a new incident (not by reads): what enrichment could tell at once; version 0
  // leaves it to the enrichment after ingest.
  IncidentEnrichment enrichment;
};

struct IncidentToEnrich {
  Id id = 0;
  std::string ip;
  std::string host;
  std::vector<std::string> site_hosts;  // hosts of the incident's sites (URLs)
};

class IncidentStore {
 public:
  virtual ~IncidentStore() = default;

  // Inserts the incident, or returns the id of the existing one with the same key (the report
  // and the address; for an incident keyed by host, the report and the host).
  virtual Result<Id> upsert_incident(const IncidentRecord& i) = 0;
  // kNotFound: no such incident.
  virtual Result<IncidentRecord> get_incident(Id id) = 0;
  // The address-keyed incident of `report` that already has a site on `host`.
  virtual Result<std::optional<Id>> incident_for_host(Id report, const std::string& host) = 0;
  // Adds hits per destination port; a port seen before adds its hits to the count.
  virtual Status add_ports(Id incident, const std::vector<PortHit>& ports) = 0;
  virtual Status set_incident_classification(Id incident, const Classification& c) = 0;
  virtual Status set_incident_brand(Id incident, const std::string& brand,
                                    const std::string& origin) = 0;
  // The incidents of a report, in the order they were made.
  virtual Result<std::vector<IncidentRecord>> incidents_of_report(Id report) = 0;
  // The latest closed incident on `ip` (or host) of an earlier report (numbered below `report`):
  // the responder was told about this address before.
  virtual Result<std::optional<Id>> earlier_closed_incident(const std::string& ip, Id report) = 0;

  // Incidents never enriched (version 0; all of them with `all`), with their sites' hosts.
  virtual Result<std::vector<IncidentToEnrich>> incidents_to_enrich(bool all) = 0;
  virtual Status set_enrichment(Id incident, const IncidentEnrichment& e) = 0;
  // The primitives of a host-keyed incident gaining its addresses (the rule is
  // enrich::assign_host_addresses): the incident keyed by `ip` from now on; a copy of each site
  // of `from` under `to` (a URL `to` has already is kept once); the incident removed with its
  // sites and ports.
  virtual Status set_incident_address(Id incident, const std::string& ip) = 0;
  virtual Status copy_sites(Id from, Id to) = 0;
  virtual Status remove_incident(Id incident) = 0;
};

}  // namespace kz::store
