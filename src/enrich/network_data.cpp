#include "enrich/network_data.h"

namespace kz::enrich {

Result<int64_t> data_version(store::Store& store) {
  auto sets = store.data_sets();
  if (!sets) return fail(sets.error());
  int64_t v = 0;
  for (const auto& s : *sets) v = std::max(v, s.version);
  return v;
}

Result<std::shared_ptr<const NetworkData>> NetworkData::load(store::Store& store) {
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
    if (auto c = Cidr::parse(d->delegation_rows_[i].prefix)) blocks.add(*c, static_cast<uint32_t>(i));
  }
  d->delegations_ = blocks.build();
  auto names = store.as_names();
  if (!names) return fail(names.error());
  for (auto& n : *names) d->as_names_.emplace(n.asn, std::move(n));
  return std::shared_ptr<const NetworkData>(std::move(d));
}

WhoisResult NetworkData::whois(const Ip& ip) const {
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
  return r;
}

size_t NetworkData::memory_bytes() const {
  return routes_->memory_bytes() + delegations_->memory_bytes() +
         origins_.size() * sizeof(store::OriginRow) + delegation_rows_.size() * sizeof(store::DelegationRow);
}

Result<bool> NetworkDataCache::refresh(store::Store& store) {
  auto version = data_version(store);
  if (!version) return fail(version.error());
  auto cur = current_.load();
  if (cur && cur->version() == *version) return false;
  auto fresh = NetworkData::load(store);  // built aside; readers keep using `cur`
  if (!fresh) return fail(fresh.error());
  current_.store(*fresh);
  return true;
}

}  // namespace kz::enrich
