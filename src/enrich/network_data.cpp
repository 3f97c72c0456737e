#include "enrich/network_data.h"

#include "core/text.h"
#include "enrich/default_data.h"

namespace kz::enrich {

Result<int64_t> data_version(store::NetworkDataStore& store) {
  auto sets = store.data_sets();
  if (!sets) return fail(sets.error());
  int64_t v = 0;
  for (const auto& s : *sets) v = std::max(v, s.version);
  return v;
}

Result<std::shared_ptr<const NetworkData>> NetworkData::load(store::NetworkDataStore& store,
                                                             store::SettingStore& settings) {
  auto d = std::shared_ptr<NetworkData>(new NetworkData());
  auto version = data_version(store);
  if (!version) return fail(version.error());
  d->version_ = *version;
  auto origins = store.origins();
  if (!origins) return fail(origins.error());
  d->origins_ = std::move(*origins);
  PrefixTable::Builder routes;
  for (size_t i = 0; i < d->origins_.size(); ++i) {
    if (auto c = Cidr::parse(d->origins_[i].prefix)) routes.add(*c, static_cast<uint32_t>(i));
  }
  d->routes_ = routes.build();
  auto delegations = store.delegations();
  if (!delegations) return fail(delegations.error());
  d->delegation_rows_ = std::move(*delegations);
  PrefixTable::Builder blocks;
  for (size_t i = 0; i < d->delegation_rows_.size(); ++i) {
    if (auto c = Cidr::parse(d->delegation_rows_[i].prefix))
      blocks.add(*c, static_cast<uint32_t>(i));
  }
  d->delegations_ = blocks.build();
  auto names = store.as_names();
  if (!names) return fail(names.error());
  for (auto& n : *names) d->as_names_.emplace(n.asn, std::move(n));

  // The directories: loaded documents, parsed here (a bad one was refused at load time).
  auto contacts = store.documents("contacts");
  if (!contacts) return fail(contacts.error());
  for (const auto& doc : *contacts) {
    auto orgs = parse_contacts(doc.content, doc.name);
    if (!orgs) return fail(orgs.error());
    for (auto& o : *orgs) d->orgs_.push_back(std::move(o));
  }
  PrefixTable::Builder org_blocks;
  for (size_t i = 0; i < d->orgs_.size(); ++i) {
    for (const auto& c : d->orgs_[i].netblocks) org_blocks.add(c, static_cast<uint32_t>(i));
    for (uint32_t asn : d->orgs_[i].asns) d->org_by_asn_.emplace(asn, i);
    for (const auto& dom : d->orgs_[i].domains) d->org_by_domain_.emplace(dom, i);
  }
  d->org_blocks_ = org_blocks.build();
  auto csirt_docs = store.documents("csirts");
  if (!csirt_docs) return fail(csirt_docs.error());
  if (csirt_docs->empty())
    csirt_docs->push_back({"data/csirts.toml (built in)", default_csirts_toml()});
  // A handler's word (`kizuna directory verify NAME`) makes an entry of the starter list usable.
  auto verified = settings.verified_directory_entries();
  if (!verified) return fail(verified.error());
  d->verified_entries_ = verified->size();
  for (const auto& doc : *csirt_docs) {
    auto list = parse_csirts(doc.content, doc.name);
    if (!list) return fail(list.error());
    for (auto& c : *list) {
      c.verified = c.verified || verified->count(c.name) > 0;
      d->csirts_[c.country] = std::move(c);
    }
  }
  auto rdap = store.documents("rdap");
  if (!rdap) return fail(rdap.error());
  auto live = store.documents("rdap-live");  // answers fetched from the RDAP server: the cache
  if (!live) return fail(live.error());
  rdap->insert(rdap->end(), live->begin(), live->end());
  PrefixTable::Builder rdap_blocks;
  for (const auto& doc : *rdap) {
    auto records = parse_rdap(doc.content);
    if (!records) continue;  // refused at load time; never stops a snapshot
    for (auto& r : *records) {
      if (r.kind == "domain" && !r.domain.empty()) {
        d->rdap_domains_[r.domain] = std::move(r);
      } else if (r.kind == "ip network") {
        for (const auto& c : r.prefixes)
          rdap_blocks.add(c, static_cast<uint32_t>(d->rdap_networks_.size()));
        d->rdap_networks_.push_back(std::move(r));
      }
    }
  }
  d->rdap_blocks_ = rdap_blocks.build();
  auto mmdbs = store.documents("mmdb");
  if (!mmdbs) return fail(mmdbs.error());
  for (const auto& doc : *mmdbs) {
    auto m = Mmdb::open(doc.content, doc.name);
    if (m) d->mmdbs_.push_back(std::move(*m));  // a bad one was refused at load time
  }
  return std::shared_ptr<const NetworkData>(std::move(d));
}

const Organisation* NetworkData::org_for_domain(const std::string& domain) const {
  auto it = org_by_domain_.find(domain);
  return it == org_by_domain_.end() ? nullptr : &orgs_[it->second];
}

std::optional<RdapRecord> NetworkData::registrar_of(const std::string& domain) const {
  auto it = rdap_domains_.find(domain);
  if (it == rdap_domains_.end()) return std::nullopt;
  return it->second;
}

WhoisResult NetworkData::whois(const Ip& ip, const RoutingPolicy& policy) const {
  WhoisResult r;
  r.ip = ip.to_string();
  if (auto i = routes_->lookup(ip)) {
    const auto& o = origins_[*i];
    r.prefix = o.prefix;
    r.origins = o.origins;
    if (!o.origins.empty()) r.asn = o.origins.front();
    r.sources["prefix"] = r.sources["asn"] = "pfx2as";
  }
  if (auto i = delegations_->lookup(ip)) {
    const auto& d = delegation_rows_[*i];
    r.delegated_prefix = d.prefix;
    r.registry = d.registry;
    r.country = d.country;
    r.sources["registry"] = "delegated";
    if (!r.country.empty()) r.sources["country"] = "delegated";
  }
  // RDAP outranks the delegated file; the centre's directory outranks both.
  if (auto i = rdap_blocks_->lookup(ip)) {
    const auto& n = rdap_networks_[*i];
    if (!n.name.empty()) {
      r.org = n.name;
      r.sources["org"] = "rdap";
    }
    if (!n.abuse.empty()) {
      r.abuse = n.abuse;
      r.sources["abuse"] = "rdap (" + n.abuse_role + ")";
    }
    if (!n.country.empty()) {
      r.country = n.country;
      r.sources["country"] = "rdap";
    }
  }
  const Organisation* org = nullptr;
  if (auto i = org_blocks_->lookup(ip)) {
    org = &orgs_[*i];
  } else if (r.asn) {
    if (auto it = org_by_asn_.find(*r.asn); it != org_by_asn_.end()) org = &orgs_[it->second];
  }
  if (org) {
    r.org = org->name;
    r.sources["org"] = "directory";
    r.language = org->language;
    r.format = org->format;
    if (!org->abuse.empty()) {
      r.abuse = org->abuse;
      r.sources["abuse"] = "directory";
    }
    if (!org->country.empty()) {
      r.country = org->country;
      r.sources["country"] = "directory";
    }
  }
  if (r.asn) {
    auto it = as_names_.find(*r.asn);
    if (it != as_names_.end()) {
      r.as_name = it->second.name;
      r.sources["as_name"] = "as2org";
      // The AS's country stands in only when no registry block names one.
      if (r.country.empty() && !it->second.country.empty()) {
        r.country = it->second.country;
        r.sources["country"] = "as2org";
      }
    }
  }
  // MaxMind databases fill only what no other source gave.
  for (const auto& m : mmdbs_) {
    auto a = m->lookup(ip);
    if (!a) continue;
    if (!r.asn && a->asn) {
      r.asn = a->asn;
      r.origins = {*a->asn};
      r.sources["asn"] = "mmdb";
    }
    if (r.as_name.empty() && !a->as_name.empty()) {
      r.as_name = a->as_name;
      r.sources["as_name"] = "mmdb";
    }
    if (r.country.empty() && !a->country.empty()) {
      r.country = a->country;
      r.sources["country"] = "mmdb";
    }
  }
  if (r.language.empty()) r.language = iequals(r.country, "JP") ? "ja" : "en";
  if (auto it = csirts_.find(r.country); it != csirts_.end()) {
    r.csirt = it->second;
    r.sources["csirt"] = "csirts";
  }
  // The statistics' kinds of administrator.
  const bool domestic = !r.country.empty() && iequals(r.country, policy.home_country);
  const std::string kind = org ? org->kind : "";
  if (!r.country.empty() && !domestic) {
    r.org_kind = "overseas";
  } else if (domestic && (kind == "isp" || kind == "hosting")) {
    r.org_kind = "isp";
  } else if (domestic && (kind == "company" || kind == "school")) {
    r.org_kind = kind;
  } else {
    r.org_kind = "other";
  }
  r.route = route(r, domestic, policy);
  return r;
}

namespace {

// Only a verified entry is mailed: the shipped starter list is unconfirmed until a handler says
// otherwise, and must never send mail to a real team by default.
bool usable(const std::optional<Csirt>& c) { return c && c->verified && !c->email.empty(); }
bool usable(const Csirt& c) { return c.verified && !c.email.empty(); }

std::string unverified(const Csirt& c) {
  return "the national CSIRT " + c.name + " is not verified (kizuna directory verify \"" + c.name +
         "\")";
}

std::string unverified_ja(const Csirt& c) {
  return "国の CSIRT " + c.name + " は未確認です（kizuna directory verify \"" + c.name + "\"）";
}

}  // namespace

Route NetworkData::route(const WhoisResult& r, bool domestic, const RoutingPolicy& policy) const {
  Route route = route_to(r, domestic, policy);
  const bool via_csirt = usable(r.csirt) && !route.to.empty() && route.to.front() == r.csirt->email;
  route.org = via_csirt ? r.csirt->name : r.org;
  route.org_kind = via_csirt ? "csirt" : r.org_kind;
  route.language = via_csirt ? "en" : r.language;
  route.format = via_csirt ? "plain" : r.format;
  if (usable(r.csirt) && !via_csirt) {
    route.escalate_to = {r.csirt->email};
    route.escalate_reason = "no response from " +
                            (r.org.empty() ? std::string("the administrator") : r.org) +
                            ": the national CSIRT " + r.csirt->name;
  }
  return route;
}

Route NetworkData::route_to(const WhoisResult& r, bool domestic,
                            const RoutingPolicy& policy) const {
  Route route;
  const auto home_csirt = csirts_.find(policy.home_country);
  const std::string who = r.org.empty() ? "the address administrator" : r.org;
  const std::string who_ja = r.org.empty() ? "アドレスの管理者" : r.org;
  const std::string where = r.sources.count("abuse") ? r.sources.at("abuse") : "";
  if (domestic) {
    if (!r.abuse.empty()) {
      route.to = r.abuse;
      route.reason = "domestic: " + who + " administers the address (" + where + ")";
      route.reason_ja = "国内: " + who_ja + " がアドレスを管理しています（" + where + "）";
    } else if (home_csirt != csirts_.end() && usable(home_csirt->second)) {
      route.to = {home_csirt->second.email};
      route.reason = "domestic, no contact known: " + home_csirt->second.name;
      route.reason_ja = "国内、連絡先不明: " + home_csirt->second.name;
    } else if (home_csirt != csirts_.end()) {
      route.reason = "domestic, no contact known, and " + unverified(home_csirt->second);
      route.reason_ja = "国内、連絡先不明。" + unverified_ja(home_csirt->second);
    } else {
      route.reason = "domestic, no contact known and no national CSIRT configured";
      route.reason_ja = "国内、連絡先不明。国の CSIRT も設定されていません";
    }
    return route;
  }
  const bool csirt_known = usable(r.csirt);
  if (!r.abuse.empty() && policy.foreign != "instead") {
    route.to = r.abuse;
    route.reason = "abroad: " + who + " administers the address (" + where + ")";
    route.reason_ja = "国外: " + who_ja + " がアドレスを管理しています（" + where + "）";
    if (policy.foreign == "copy" && csirt_known) {
      route.cc = {r.csirt->email};
      route.reason += ", " + r.csirt->name + " in copy";
      route.reason_ja += "、" + r.csirt->name + " を CC";
    }
  } else if (csirt_known) {
    route.to = {r.csirt->email};
    route.reason = r.abuse.empty()
                       ? "abroad, no contact known: the national CSIRT " + r.csirt->name
                       : "abroad: through the national CSIRT " + r.csirt->name + " (policy)";
    route.reason_ja = r.abuse.empty() ? "国外、連絡先不明: 国の CSIRT " + r.csirt->name
                                      : "国外: 方針により国の CSIRT " + r.csirt->name + " 経由";
  } else if (!r.abuse.empty()) {
    route.to = r.abuse;
    route.reason = "abroad: " + who + " (no national CSIRT known for " + r.country + ")";
    route.reason_ja = "国外: " + who_ja + "（" + r.country + " の国の CSIRT は不明）";
  } else if (r.csirt) {
    route.reason = "nothing known, and " + unverified(*r.csirt);
    route.reason_ja = "情報なし。" + unverified_ja(*r.csirt);
  } else {
    route.reason = r.country.empty() ? "nothing known about the address"
                                     : "nothing known; no national CSIRT for " + r.country;
    route.reason_ja = r.country.empty() ? "アドレスについての情報はありません"
                                        : "情報なし。" + r.country + " の国の CSIRT はありません";
  }
  return route;
}

size_t NetworkData::memory_bytes() const {
  return routes_->memory_bytes() + delegations_->memory_bytes() +
         origins_.size() * sizeof(store::OriginRow) +
         delegation_rows_.size() * sizeof(store::DelegationRow);
}

Result<bool> NetworkDataCache::refresh(store::NetworkDataStore& store,
                                       store::SettingStore& settings) {
  auto version = data_version(store);
  if (!version) return fail(version.error());
  auto verified = settings.verified_directory_entries();
  if (!verified) return fail(verified.error());
  auto cur = current();
  if (cur && cur->version() == *version && cur->verified_entries() == verified->size())
    return false;
  auto fresh = NetworkData::load(store, settings);  // built aside; readers keep using `cur`
  if (!fresh) return fail(fresh.error());
  std::lock_guard lock(mu_);
  current_ = *fresh;
  return true;
}

}  // namespace kz::enrich
