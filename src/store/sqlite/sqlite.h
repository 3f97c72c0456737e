// A small RAII wrapper over the SQLite C API. Only src/store includes this header.
// Statements are prepared once and cached by the caller; bind/step errors become kz::Error.
// Not thread-safe: one Db per thread (SQLite's WAL lets readers run beside one writer).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kz::store {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binding is 1-based like SQLite. Text given as a view, a C string or a named std::string is
  // bound without a copy and must stay valid until the statement is reset (run() resets, and
  // so does taking it from the store's cache); copying every value cost SQLite a malloc and a
  // free each, about 3% of intake. A temporary std::string is copied (SQLITE_TRANSIENT): it
  // dies before the statement runs.
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, std::string_view v);
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, std::string&& v);
  Statement& bind(int i, const std::string&& v);
  Statement& bind_blob(int i, std::string_view v);
  // Bound without a copy: `v` must stay valid until the statement is reset (run() resets).
  Statement& bind_blob_static(int i, std::string_view v);
  Statement& bind_null(int i);
  Statement& bind(int i, const std::optional<int64_t>& v);

  // Steps once: true when a row is available, false when done. Errors carry the SQL.
  Result<bool> step();
  // Steps to completion, for statements that return no rows.
  Status run();
  void reset();

  int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  std::string text(int col) const;
  std::string blob(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  // Opens (creating) the database file with WAL, foreign keys and a busy timeout.
  // kUnavailable when the file cannot be opened (the caller exits 75).
  // How to open: read-write, creating the file when missing (kCreate) or not (kExisting), or
  // read-only and immutable (kReadOnly: no -wal or -shm is made; see SqliteOptions).
  enum class Mode { kCreate, kExisting, kReadOnly };
  static Result<std::unique_ptr<Db>> open(const std::string& path, int busy_timeout_ms = 5000,
                                          Mode mode = Mode::kCreate);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status exec(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);
  int64_t last_insert_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// The error for a failed SQLite call, with the database's message.
Error sqlite_error(sqlite3* db, std::string_view what);

}  // namespace kz::store
