// The settings of one centre's database, and the directory entries its handlers confirmed.
//
// Errors, for every method: as MessageStore (messages.h); methods name further errors of their
// own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "store/common.h"

namespace kz::store {

class SettingStore {
 public:
  virtual ~SettingStore() = default;

  // The value stored under `key`, nullopt when none. Keys: "demo", "smtp.breaker_open",
  // "intake.crash_verdicts" (app/ingest.cpp).
  virtual Result<std::optional<std::string>> setting(const std::string& key) = 0;
  // Stores `value` under `key`; nullopt removes it.
  virtual Status set_setting(const std::string& key, const std::optional<std::string>& value) = 0;
  // Removes `key` when it holds `value`; true when this call removed it. Of two transactions
  // taking the same setting at once, one gets true: a one-time token is spent once.
  virtual Result<bool> take_setting(const std::string& key, const std::string& value) = 0;
  // Records that `name` (a CSIRT of the starter list) was confirmed by `by` at `at`.
  virtual Status verify_directory_entry(const std::string& name, const std::string& by,
                                        Time at) = 0;
  virtual Result<std::set<std::string>> verified_directory_entries() = 0;
};

}  // namespace kz::store
