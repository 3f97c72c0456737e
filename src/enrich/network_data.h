// Who holds an address, from the network data loaded into the store: origin AS (prefix2as),
// registry and country (RIR delegated files), AS name (as2org). A NetworkData is an immutable
// snapshot built aside from the store; NetworkDataCache hands out the current one and replaces
// it atomically when the store's data version moves, so lookups in progress are never torn.
//
// Precedence when sources disagree: directory > RDAP > delegated file > MMDB. This
// version loads prefix2as, delegated and as2org; `sources` in a result names the source of
// every field so an abuse desk can see why it was contacted.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/ip.h"
#include "core/result.h"
#include "enrich/directory.h"
#include "enrich/mmdb.h"
#include "enrich/prefix_table.h"
#include "store/database.h"

namespace kz::enrich {

// How notices are routed (config [routing]).
struct RoutingPolicy {
  std::string home_country = "JP";
  // Abroad: "copy" (the administrator, the national CSIRT in copy), "instead" (only the
  // national CSIRT), "admin" (only the administrator).
  std::string foreign = "copy";
};

struct Route {
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string reason;     // why these recipients, in English
  std::string reason_ja;  // the same in Japanese (a Japanese notice quotes it)
  // About the responder, for the notices (coord/notices.h reads these from the stored JSON):
  std::string org;       // who receives it
  std::string org_kind;  // isp | company | school | overseas | other
  std::string language;  // ja | en
  std::string format;    // plain | xarf
  // Where an unanswered notice escalates: the national CSIRT of the address's country (or the
  // home CSIRT when the notice already went to that CSIRT's country's administrator).
  std::vector<std::string> escalate_to;
  std::string escalate_reason;
};

struct WhoisResult {
  std::string ip;
  std::string prefix;             // the most specific routed prefix holding the address
  std::optional<uint32_t> asn;    // its first origin AS
  std::vector<uint32_t> origins;  // all origin ASes (multi-origin)
  std::string as_name;
  std::string country;           // ISO alpha-2
  std::string registry;          // apnic, ripencc, ...
  std::string delegated_prefix;  // the RIR block holding the address
  std::string org;               // who administers the address
  std::string org_kind;  // isp | company | school | overseas | other (the statistics' kinds)
  std::string language;  // of notices to the administrator: ja | en
  std::string format = "plain";    // what the administrator wants: plain | xarf
  std::vector<std::string> abuse;  // the administrator's abuse addresses
  std::optional<Csirt> csirt;      // the national CSIRT of the address's country
  Route route;
  // field -> "directory" | "rdap" | "pfx2as" | "delegated" | "as2org" | "csirts"
  std::map<std::string, std::string> sources;
};

class NetworkData {
 public:
  // Builds a snapshot of everything loaded. kUnavailable/kCorruption from the store.
  static Result<std::shared_ptr<const NetworkData>> load(store::NetworkDataStore& store,
                                                         store::SettingStore& settings);
  // The national CSIRTs by country (loaded, else the shipped starter list), `verified` as the
  // file says or a handler confirmed (`kizuna directory verify`).
  const std::map<std::string, Csirt>& csirts() const { return csirts_; }
  // The organisations of the contact directory (`data load contacts`), in the file's order.
  const std::vector<Organisation>& organisations() const { return orgs_; }
  WhoisResult whois(const Ip& ip, const RoutingPolicy& policy = {}) const;
  // A domain's registrar and its abuse contact, from loaded RDAP domain objects.
  std::optional<RdapRecord> registrar_of(const std::string& domain) const;
  // The directory organisation that lists `domain` (a registered domain) among its domains.
  const Organisation* org_for_domain(const std::string& domain) const;
  int64_t version() const { return version_; }
  // How many directory entries handlers had confirmed when it was built (they are only ever
  // added): a confirmation since is a reason to rebuild, as a new data version is.
  size_t verified_entries() const { return verified_entries_; }
  size_t memory_bytes() const;

 private:
  // Who to tell, with what the notices need to know about them (language, format, escalation).
  Route route(const WhoisResult& r, bool domestic, const RoutingPolicy& policy) const;
  // Who to tell: the recipients and the reason only.
  Route route_to(const WhoisResult& r, bool domestic, const RoutingPolicy& policy) const;
  int64_t version_ = 0;
  size_t verified_entries_ = 0;
  std::shared_ptr<const PrefixTable> routes_;
  std::vector<store::OriginRow> origins_;
  std::shared_ptr<const PrefixTable> delegations_;
  std::vector<store::DelegationRow> delegation_rows_;
  std::map<uint32_t, store::AsNameRow> as_names_;
  std::vector<Organisation> orgs_;
  std::shared_ptr<const PrefixTable> org_blocks_;
  std::map<uint32_t, size_t> org_by_asn_;
  std::map<std::string, size_t> org_by_domain_;
  std::map<std::string, Csirt> csirts_;  // by country
  std::vector<RdapRecord> rdap_networks_;
  std::shared_ptr<const PrefixTable> rdap_blocks_;
  std::map<std::string, RdapRecord> rdap_domains_;
  std::vector<std::shared_ptr<const Mmdb>> mmdbs_;
};

// The current snapshot for a long-running process (thread-safe). refresh() rebuilds only when
// the store's data version changed or a handler confirmed a directory entry since, and swaps the
// pointer; readers keep the snapshot they hold.
//
// The pointer swap is guarded by a mutex held only to copy the pointer: readers then look up on
// their own copy with no lock. (libstdc++ 12's std::atomic<std::shared_ptr> uses a lock bit
// ThreadSanitizer cannot see, which the TSan build of the reload test flagged.)
class NetworkDataCache {
 public:
  std::shared_ptr<const NetworkData> current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  // Returns true when a new snapshot was installed.
  Result<bool> refresh(store::NetworkDataStore& store, store::SettingStore& settings);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const NetworkData> current_;
};

// The data version of the store (the highest data_sets.version), 0 when nothing is loaded.
Result<int64_t> data_version(store::NetworkDataStore& store);

}  // namespace kz::enrich
