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
  CachedStatement(sqlite3* db, store::Statement stmt, bool returns_inserted_id)
      : db_(db), stmt_(std::move(stmt)), returns_inserted_id_(returns_inserted_id) {}

  void bind_int(int i, int64_t v) override { stmt_.bind(i, v); }
  void bind_text(int i, std::string_view v) override { stmt_.bind(i, v); }
  void bind_blob(int i, std::string_view v) override { stmt_.bind_blob_static(i, v); }
  void bind_null(int i) override { stmt_.bind_null(i); }

  Result<bool> step() override {
    if (returns_inserted_id_ && inserted_id_) {  // the one row was read
      inserted_id_.reset();
      return false;
    }
    auto row = stmt_.step();  // on an error it resets and unbinds itself
    if (!row || *row || !returns_inserted_id_ || sqlite3_changes(db_) == 0) return row;
    inserted_id_ = sqlite3_last_insert_rowid(db_);
    return true;
  }
  void reset() override {
    inserted_id_.reset();
    stmt_.reset();
  }

  int64_t int64(int col) const override { return inserted_id_ ? *inserted_id_ : stmt_.int64(col); }
  std::string text(int col) const override { return stmt_.text(col); }
  std::string blob(int col) const override { return stmt_.blob(col); }
  bool is_null(int col) const override { return !inserted_id_ && stmt_.is_null(col); }

 private:
  sqlite3* db_;
  store::Statement stmt_;  // the RAII wrapper of sqlite.h
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
    auto stmt = db_.prepare(run);
    if (!stmt) return fail(stmt.error());
    it = cache_
             .emplace(std::string(sql), std::make_unique<CachedStatement>(
                                            db_.handle(), std::move(*stmt), returning_id))
             .first;
  } else {
    it->second->reset();
  }
  if (by_address_.size() < kAddressesKept) by_address_[sql.data()] = {&it->first, it->second.get()};
  return it->second.get();
}

}  // namespace kz::store
