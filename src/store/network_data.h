// Network data as `kizuna data load` stores it: routing origins, registry delegations, AS names
// and documents (RDAP answers, the CSIRT directory). Each kind is replaced whole.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/common.h"

namespace kz::store {

// Network data: rows as `kizuna data load` stores them.
struct DataSetInfo {
  std::string kind;
  std::string source;
  Time loaded_at{};
  int64_t entries = 0;
  int64_t problems = 0;
  int64_t version = 0;
};

struct OriginRow {
  std::string prefix;
  std::vector<uint32_t> origins;
};

struct DelegationRow {
  std::string prefix;
  std::string registry;
  std::string country;
  std::string status;
};

struct AsNameRow {
  uint32_t asn = 0;
  std::string name;
  std::string country;
};

struct DataDocument {
  std::string name;
  std::string content;
};

class NetworkDataStore {
 public:
  virtual ~NetworkDataStore() = default;

  // Each replace_* writes the rows of one kind and its DataSetInfo in place of the old ones, in a
  // transaction of its own (nested in the caller's, if one is open). The store numbers the load:
  // info.version is ignored, and every load of any kind gets the next version (data_sets).
  virtual Status replace_origins(const DataSetInfo& info, const std::vector<OriginRow>& rows) = 0;
  virtual Status replace_delegations(const DataSetInfo& info,
                                     const std::vector<DelegationRow>& rows) = 0;
  virtual Status replace_as_names(const DataSetInfo& info, const std::vector<AsNameRow>& rows) = 0;
  // Replaces the documents of info.kind.
  virtual Status replace_documents(const DataSetInfo& info,
                                   const std::vector<DataDocument>& docs) = 0;
  virtual Result<std::vector<OriginRow>> origins() = 0;
  virtual Result<std::vector<DelegationRow>> delegations() = 0;
  virtual Result<std::vector<AsNameRow>> as_names() = 0;
  // The documents of `kind`, in the order they were stored.
  virtual Result<std::vector<DataDocument>> documents(const std::string& kind) = 0;
  // What is loaded: one entry per kind.
  virtual Result<std::vector<DataSetInfo>> data_sets() = 0;
};

}  // namespace kz::store
