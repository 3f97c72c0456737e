#include "enrich/enricher.h"

#include <algorithm>
#include <set>

#include "core/json_out.h"
#include "triage/reporters.h"

namespace kz::enrich {

namespace {

// The stored route (incidents.route): coord/notices.h parse_route() reads it.
std::string route_json(const Route& r) {
  JsonOut j;
  j.field("to", r.to).field("cc", r.cc).field("reason", r.reason);
  if (!r.reason_ja.empty()) j.field("reason_ja", r.reason_ja);
  if (!r.org.empty()) j.field("org", r.org);
  if (!r.org_kind.empty()) j.field("org_kind", r.org_kind);
  if (!r.language.empty()) j.field("language", r.language);
  if (!r.format.empty() && r.format != "plain") j.field("format", r.format);
  if (!r.escalate_to.empty()) {
    j.json("escalate",
           JsonOut().field("to", r.escalate_to).field("reason", r.escalate_reason).done());
  }
  return j.done();
}

}  // namespace

EnrichedIncident enrich_incident(const NetworkData& data, const RoutingPolicy& policy,
                                 const std::string& address, const std::string& host,
                                 const std::vector<std::string>& site_hosts,
                                 const std::string& resolve_error) {
  EnrichedIncident out;
  store::IncidentEnrichment& e = out.enrichment;
  e.version = data.version() + 1;
  if (auto ip = Ip::parse(address)) {
    out.by_address = true;
    const WhoisResult w = data.whois(*ip, policy);
    e.asn = w.asn;
    e.as_name = w.as_name;
    e.country = w.country;
    e.org = w.org;
    e.org_kind = w.org_kind;
    Route route = w.route;
    // A site on a registered domain the centre knows to be malicious (its RDAP domain record
    // is loaded): the registrar can take the domain down too.
    std::set<std::string> seen;
    for (const auto& h : site_hosts) {
      const std::string domain = triage::registered_domain(h);
      if (!seen.insert(domain).second) continue;
      auto reg = data.registrar_of(domain);
      if (!reg || reg->abuse.empty()) continue;
      for (const auto& a : reg->abuse) {
        if (std::find(route.cc.begin(), route.cc.end(), a) == route.cc.end()) route.cc.push_back(a);
      }
      route.reason += "; the registrar of " + domain +
                      (reg->registrar.empty() ? "" : " (" + reg->registrar + ")") +
                      " in copy (rdap)";
      route.reason_ja += "。" + domain + " のレジストラ" +
                         (reg->registrar.empty() ? "" : "（" + reg->registrar + "）") +
                         "を CC（rdap）";
    }
    e.route = route_json(route);
    out.routed = !route.to.empty();
    return out;
  }
  // A site on a host with no known address: its registrar can act on the domain.
  Route r;
  const std::string domain = triage::registered_domain(host);
  if (const Organisation* org = data.org_for_domain(domain); org && !org->abuse.empty()) {
    // The directory names who runs this domain (a hosting customer's, a company's own).
    r.to = org->abuse;
    r.reason = "host not resolved yet; " + org->name + " runs " + domain + " (directory)";
    r.reason_ja = "ホスト名は未解決。" + domain + " は " + org->name + " が運用（directory）";
    r.org = org->name;
    r.language = org->language;
    r.format = org->format;
    e.org = org->name;
  } else if (auto reg = data.registrar_of(domain); reg && !reg->abuse.empty()) {
    r.to = reg->abuse;
    r.reason = "host not resolved yet; the registrar of " + domain +
               (reg->registrar.empty() ? std::string() : " (" + reg->registrar + ")") + " (rdap)";
    r.reason_ja = "ホスト名は未解決。" + domain + " のレジストラ" +
                  (reg->registrar.empty() ? std::string() : "（" + reg->registrar + "）") +
                  "（rdap）";
    r.org = reg->registrar;
  } else {
    r.reason = "host not resolved yet; no registrar known for " + domain;
    r.reason_ja = "ホスト名は未解決。" + domain + " のレジストラは不明";
  }
  if (!resolve_error.empty()) {
    r.reason = host + ": " + resolve_error + "; " + r.reason.substr(r.reason.find(';') + 2);
    r.reason_ja = host + ": " + resolve_error + "。" +
                  r.reason_ja.substr(r.reason_ja.find("。") + std::string("。").size());
  }
  e.route = route_json(r);
  e.org_kind = "other";
  out.routed = !r.to.empty();
  return out;
}

bool wants_live_rdap(const NetworkData& data, const RoutingPolicy& policy,
                     const std::string& address, const std::string& host) {
  if (auto ip = Ip::parse(address)) return data.whois(*ip, policy).abuse.empty();
  return !host.empty() && !data.registrar_of(triage::registered_domain(host));
}

AddressPlan plan_host_addresses(const std::vector<std::string>& ips,
                                const std::map<std::string, store::Id>& known) {
  AddressPlan plan;
  bool converted = false;
  for (const auto& ip : ips) {
    if (auto it = known.find(ip); it != known.end()) {
      plan.targets.push_back(it->second);
    } else {
      plan.targets.push_back(std::nullopt);
      converted = true;
    }
  }
  plan.absorb = !converted && !ips.empty();
  return plan;
}

Result<std::vector<store::Id>> assign_host_addresses(store::IncidentStore& store,
                                                     store::Id incident,
                                                     const std::vector<std::string>& ips) {
  auto host = store.get_incident(incident);
  if (!host) return fail(host.error());
  auto siblings = store.incidents_of_report(host->report);
  if (!siblings) return fail(siblings.error());
  std::map<std::string, store::Id> known;
  for (const auto& s : *siblings) {
    if (!s.ip.empty()) known.emplace(s.ip, s.id);
  }
  const AddressPlan plan = plan_host_addresses(ips, known);
  std::vector<store::Id> out;
  bool converted = false;
  for (size_t k = 0; k < ips.size(); ++k) {
    store::Id target = 0;
    if (plan.targets[k]) {
      target = *plan.targets[k];
    } else if (!converted) {
      if (auto s = store.set_incident_address(incident, ips[k]); !s) return fail(s.error());
      converted = true;
      out.push_back(incident);
      continue;
    } else {
      store::IncidentRecord copy = *host;
      copy.ip = ips[k];
      copy.host.clear();
      auto id = store.upsert_incident(copy);
      if (!id) return fail(id.error());
      target = *id;
    }
    if (auto s = store.copy_sites(incident, target); !s) return fail(s.error());
    out.push_back(target);
  }
  if (plan.absorb) {
    if (auto s = store.remove_incident(incident); !s) return fail(s.error());
  }
  return out;
}

Result<EnrichSummary> enrich_incidents(store::Transactions& tx, store::IncidentStore& store,
                                       const NetworkData& data, const RoutingPolicy& policy,
                                       bool all, Resolver* resolver) {
  auto todo = store.incidents_to_enrich(all);
  if (!todo) return fail(todo.error());
  EnrichSummary summary;
  if (todo->empty()) return summary;
  // Resolve every host first, all at once (outside the transaction: the network is slow).
  std::map<std::string, Resolution> resolved;
  if (resolver) {
    std::vector<std::string> hosts;
    for (const auto& inc : *todo) {
      if (inc.ip.empty() && !inc.host.empty()) hosts.push_back(inc.host);
    }
    if (!hosts.empty()) resolved = resolver->resolve(hosts);
  }
  if (auto s = tx.begin(); !s) return fail(s.error());
  std::vector<store::IncidentToEnrich> work;
  for (const auto& inc : *todo) {
    auto it = resolved.find(inc.host);
    if (!inc.ip.empty() || it == resolved.end() || !it->second.resolved()) {
      work.push_back(inc);
      continue;
    }
    std::vector<std::string> ips;
    for (const auto& a : it->second.addresses) ips.push_back(a.to_string());
    auto ids = assign_host_addresses(store, inc.id, ips);
    if (!ids) {
      tx.rollback();
      return fail(ids.error());
    }
    ++summary.resolved_hosts;
    for (size_t k = 0; k < ids->size(); ++k) work.push_back({(*ids)[k], ips[k], "", {inc.host}});
  }
  for (const auto& inc : work) {
    std::string resolve_error;
    if (auto it = resolved.find(inc.host); it != resolved.end()) resolve_error = it->second.error;
    const EnrichedIncident r =
        enrich_incident(data, policy, inc.ip, inc.host, inc.site_hosts, resolve_error);
    const store::IncidentEnrichment& e = r.enrichment;
    if (r.routed) ++summary.routed;
    if (!r.by_address) ++summary.unresolved_hosts;
    if (auto s = store.set_enrichment(inc.id, e); !s) {
      tx.rollback();
      return fail(s.error());
    }
    ++summary.incidents;
  }
  if (auto s = tx.commit(); !s) return fail(s.error());
  return summary;
}

}  // namespace kz::enrich
