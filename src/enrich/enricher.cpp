#include "enrich/enricher.h"

#include <nlohmann/json.hpp>

#include "triage/reporters.h"

namespace kz::enrich {

namespace {

std::string route_json(const Route& r) {
  return nlohmann::json{{"to", r.to}, {"cc", r.cc}, {"reason", r.reason}}.dump();
}

}  // namespace

Result<EnrichSummary> enrich_incidents(store::Store& store, const NetworkData& data, const RoutingPolicy& policy,
                                       bool all) {
  auto todo = store.incidents_to_enrich(1, all);
  if (!todo) return fail(todo.error());
  EnrichSummary summary;
  if (todo->empty()) return summary;
  if (auto s = store.begin(); !s) return fail(s.error());
  const int64_t stamp = data.version() + 1;
  for (const auto& inc : *todo) {
    store::IncidentEnrichment e;
    e.version = stamp;
    if (auto ip = Ip::parse(inc.ip)) {
      const WhoisResult w = data.whois(*ip, policy);
      e.asn = w.asn;
      e.as_name = w.as_name;
      e.country = w.country;
      e.org = w.org;
      e.org_kind = w.org_kind;
      e.route = route_json(w.route);
      if (!w.route.to.empty()) ++summary.routed;
    } else {
      // A site on a host with no known address: its registrar can act on the domain.
      Route r;
      const std::string domain = triage::registered_domain(inc.host);
      if (auto reg = data.registrar_of(domain); reg && !reg->abuse.empty()) {
        r.to = reg->abuse;
        r.reason = "host not resolved yet; the registrar of " + domain +
                   (reg->registrar.empty() ? std::string() : " (" + reg->registrar + ")") + " (rdap)";
        ++summary.routed;
      } else {
        r.reason = "host not resolved yet; no registrar known for " + domain;
      }
      e.route = route_json(r);
      e.org_kind = "other";
      ++summary.unresolved_hosts;
    }
    if (auto s = store.set_enrichment(inc.id, e); !s) {
      store.rollback();
      return fail(s.error());
    }
    ++summary.incidents;
  }
  if (auto s = store.commit(); !s) return fail(s.error());
  return summary;
}

}  // namespace kz::enrich
