// Who holds an address, from the network data loaded into the store: origin AS (prefix2as),
// registry and country (RIR delegated files), AS name (as2org). A NetworkData is an immutable
// snapshot built aside from the store; NetworkDataCache hands out the current one and replaces
// it atomically when the store's data version moves, so lookups in progress are never torn.
//
// Precedence when sources disagree (issue 3): directory > RDAP > delegated file > MMDB. This
// version loads prefix2as, delegated and as2org; `sources` in a result names the source of
// every field so an abuse desk can see why it was contacted.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ip.h"
#include "core/result.h"
#include "enrich/prefix_table.h"
#include "store/store.h"

namespace kz::enrich {

struct WhoisResult {
  std::string ip;
  std::string prefix;               // the most specific routed prefix holding the address
  std::optional<uint32_t> asn;      // its first origin AS
  std::vector<uint32_t> origins;    // all origin ASes (multi-origin)
  std::string as_name;
  std::string country;              // ISO alpha-2
  std::string registry;             // apnic, ripencc, ...
  std::string delegated_prefix;     // the RIR block holding the address
  std::map<std::string, std::string> sources;  // field -> "pfx2as" | "delegated" | "as2org"
};

class NetworkData {
 public:
  // Builds a snapshot of everything loaded. kUnavailable/kCorruption from the store.
  static Result<std::shared_ptr<const NetworkData>> load(store::Store& store);
  WhoisResult whois(const Ip& ip) const;
  int64_t version() const { return version_; }
  size_t memory_bytes() const;

 private:
  int64_t version_ = 0;
  std::shared_ptr<const PrefixTable> routes_;
  std::vector<store::OriginRow> origins_;
  std::shared_ptr<const PrefixTable> delegations_;
  std::vector<store::DelegationRow> delegation_rows_;
  std::map<uint32_t, store::AsNameRow> as_names_;
};

// The current snapshot for a long-running process (thread-safe). refresh() rebuilds only when
// the store's data version changed and swaps the pointer; readers keep the snapshot they hold.
class NetworkDataCache {
 public:
  std::shared_ptr<const NetworkData> current() const { return current_.load(); }
  // Returns true when a new snapshot was installed.
  Result<bool> refresh(store::Store& store);

 private:
  std::atomic<std::shared_ptr<const NetworkData>> current_;
};

// The data version of the store (the highest data_sets.version), 0 when nothing is loaded.
Result<int64_t> data_version(store::Store& store);

}  // namespace kz::enrich
