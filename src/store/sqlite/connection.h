// The SQLite driver of the SQL layer (sql/connection.h): statements prepared once and kept for
// the connection's life. Only src/store includes this header.
//
// Thread-safety: one thread at a time, like the Db it wraps.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql/connection.h"
#include "store/sqlite/sqlite.h"

namespace kz::store {

class SqliteConnection final : public sql::Connection {
 public:
  explicit SqliteConnection(Db& db);
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() override;

  Result<sql::Statement*> statement(std::string_view sql) override;
  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }

 private:
  class CachedStatement;

  Db& db_;
  // Keyed by the SQL text, looked up without building a std::string (most calls pass literals).
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<CachedStatement>, SqlHash, std::equal_to<>>
      cache_;
  // The address a caller passed the text at -> that text's entry in cache_ (nodes do not move).
  static constexpr size_t kAddressesKept = 4096;  // addresses of temporaries never repeat usefully
  std::unordered_map<const char*, std::pair<const std::string*, CachedStatement*>> by_address_;
};

}  // namespace kz::store
