#include "store/sqlite/connection.h"

#include <optional>

namespace kz::store {

// One prepared statement. Text and blobs are bound without a copy (SQLITE_STATIC): copying every
// value cost SQLite a malloc and a free each, about 3% of intake. The layer above resets the
// statement before the bound values go (sql/connection.h).
//
// An INSERT ending in RETURNING id (the repositories' portable way to learn a new row's id) runs
// without the clause: SQLite answers RETURNING through a temporary table built and freed at every
// execution, which cost intake about a third more instructions. The statement then reports one
// row holding sqlite3_last_insert_rowid() when it inserted one, and no row when it did not (ON
// CONFLICT DO NOTHING), as RETURNING would.
class SqliteConnection::CachedStatement final : public sql::Statement {
 public:
  CachedStatement(sqlite3* db, sqlite3_stmt* stmt, bool returns_inserted_id)
      : db_(db), stmt_(stmt), returns_inserted_id_(returns_inserted_id) {}
  ~CachedStatement() override { sqlite3_finalize(stmt_); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  void bind_int(int i, int64_t v) override { sqlite3_bind_int64(stmt_, i, v); }
  void bind_text(int i, std::string_view v) override {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bind_blob(int i, std::string_view v) override {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bind_null(int i) override { sqlite3_bind_null(stmt_, i); }

  Result<bool> step() override {
    if (returns_inserted_id_ && inserted_id_) {  // the one row was read
      inserted_id_.reset();
      return false;
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) {
      if (!returns_inserted_id_ || sqlite3_changes(db_) == 0) return false;
      inserted_id_ = sqlite3_last_insert_rowid(db_);
      return true;
    }
    Error e = sqlite_error(db_, sqlite3_sql(stmt_));
    reset();  // and unbind: bound views may not outlive the caller
    return fail(std::move(e));
  }
  void reset() override {
    inserted_id_.reset();
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  int64_t int64(int col) const override {
    return inserted_id_ ? *inserted_id_ : sqlite3_column_int64(stmt_, col);
  }
  std::string text(int col) const override {
    const auto* p = sqlite3_column_text(stmt_, col);
    if (!p) return {};
    return {reinterpret_cast<const char*>(p),
            static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  std::string blob(int col) const override {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    if (!p) return {};
    return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
  }
  bool is_null(int col) const override {
    return !inserted_id_ && sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  const bool returns_inserted_id_;
  std::optional<int64_t> inserted_id_;  // the row RETURNING id would have given
};

SqliteConnection::SqliteConnection(Db& db) : db_(db) {}
SqliteConnection::~SqliteConnection() = default;

// Prepared statements are cached by their SQL text for the life of the connection. Most calls
// pass a string literal or a static string, so the text's address is looked up first and the
// text compared, which is cheaper than hashing it (intake fetches about 25 statements a message,
// some of 300 bytes): an address reused for other text (a temporary) fails the comparison and
// takes the text path.
Result<sql::Statement*> SqliteConnection::statement(std::string_view sql) {
  if (auto hit = by_address_.find(sql.data());
      hit != by_address_.end() && *hit->second.first == sql) {
    hit->second.second->reset();
    return hit->second.second;
  }
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    static constexpr std::string_view kReturningId = " RETURNING id";
    const bool returning_id = sql.starts_with("INSERT") && sql.ends_with(kReturningId);
    const std::string_view run =
        returning_id ? sql.substr(0, sql.size() - kReturningId.size()) : sql;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_.handle(), run.data(), static_cast<int>(run.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return fail(sqlite_error(db_.handle(), sql));
    }
    it = cache_
             .emplace(std::string(sql),
                      std::make_unique<CachedStatement>(db_.handle(), stmt, returning_id))
             .first;
  } else {
    it->second->reset();
  }
  if (by_address_.size() < kAddressesKept) by_address_[sql.data()] = {&it->first, it->second.get()};
  return it->second.get();
}

}  // namespace kz::store
