// SettingStore over the SQL layer.
#include "store/settings.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

namespace kz::store::sql {

namespace {

class SqlSettingStore final : public SettingStore {
 public:
  explicit SqlSettingStore(Connection& c) : c_(c) {}

  Result<std::optional<std::string>> setting(const std::string& key) override {
    return c_.query_one(
        "SELECT value FROM settings WHERE key=?1", [](const Row& r) { return r.text(0); }, key);
  }

  Status set_setting(const std::string& key, const std::optional<std::string>& value) override {
    if (!value) return c_.exec("DELETE FROM settings WHERE key=?1", key);
    return c_.exec(
        "INSERT INTO settings(key,value) VALUES(?1,?2) "
        "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
        key, *value);
  }

  Result<bool> take_setting(const std::string& key, const std::string& value) override {
    // PostgreSQL makes a second DELETE of the row wait for the first and then find nothing;
    // SQLite runs one writer at a time.
    auto taken = c_.query_one(
        "DELETE FROM settings WHERE key=?1 AND value=?2 RETURNING key",
        [](const Row& r) { return r.text(0); }, key, value);
    if (!taken) return fail(taken.error());
    return taken->has_value();
  }

  Status verify_directory_entry(const std::string& name, const std::string& by, Time at) override {
    return c_.exec(
        "INSERT INTO directory_verified(name,verified_by,verified_at) VALUES(?1,?2,?3) "
        "ON CONFLICT(name) DO UPDATE SET verified_by=excluded.verified_by, "
        "verified_at=excluded.verified_at",
        name, by, at);
  }

  Result<std::set<std::string>> verified_directory_entries() override {
    std::set<std::string> out;
    auto s = c_.for_each("SELECT name FROM directory_verified",
                         [&out](const Row& r) { out.insert(r.text(0)); });
    if (!s) return fail(s.error());
    return out;
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<SettingStore> make_setting_store(Connection& c) {
  return std::make_unique<SqlSettingStore>(c);
}

}  // namespace kz::store::sql
