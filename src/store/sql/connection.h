// The SQL layer every repository is written over, once for every back end.
//
// A repository (sql/*.cpp) writes its statements in the subset of SQL that SQLite (3.35 and
// later) and PostgreSQL both accept: numbered parameters ?1, ?2 ... (a PostgreSQL driver rewrites
// them to $1 when it prepares), INSERT ... ON CONFLICT ... DO NOTHING / DO UPDATE, RETURNING id,
// explicit id columns (never rowid), integers for booleans and times (Unix seconds). Values are
// always bound, never written into the text. A driver (sqlite/) implements Connection and
// Statement; what is fast on one back end only (a statement cache, checkpoints, page settings)
// stays inside the driver.
//
// Errors: every call fails with the driver's error (kUnavailable when the database is busy, full
// or cannot be written; kCorruption for a damaged file; kInternal for a statement the database
// refused: a bug). Messages never contain SQL.
//
// Thread-safety: a Connection and its statements are used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/common.h"

namespace kz::store::sql {

// A prepared statement. Text and blobs are bound without a copy: they must stay valid until the
// statement is reset, which every helper of Connection does before it returns.
class Statement {
 public:
  virtual ~Statement() = default;

  virtual void bind_int(int i, int64_t v) = 0;
  virtual void bind_text(int i, std::string_view v) = 0;
  virtual void bind_blob(int i, std::string_view v) = 0;
  virtual void bind_null(int i) = 0;
  // True when a row is available, false when done.
  virtual Result<bool> step() = 0;
  // Ready to run again, with no values bound.
  virtual void reset() = 0;
  // Runs the statement for its effect, rows unread, and resets it. A driver may only send it and
  // report a failure at the next statement that reads rows or ends the transaction (PostgreSQL's
  // pipeline, inside a transaction); the caller then rolls back, as after any failure.
  virtual Status execute() {
    while (true) {
      auto more = step();
      if (!more) return fail(more.error());
      if (!*more) break;
    }
    reset();
    return {};
  }

  virtual int64_t int64(int col) const = 0;
  virtual std::string text(int col) const = 0;
  virtual std::string blob(int col) const = 0;
  virtual bool is_null(int col) const = 0;
};

// The current row of a statement, read by column (0-based).
class Row {
 public:
  explicit Row(const Statement& s) : s_(s) {}
  int64_t int64(int col) const { return s_.int64(col); }
  int integer(int col) const { return static_cast<int>(s_.int64(col)); }
  bool boolean(int col) const { return s_.int64(col) != 0; }
  std::string text(int col) const { return s_.text(col); }
  std::string blob(int col) const { return s_.blob(col); }
  bool is_null(int col) const { return s_.is_null(col); }
  Time time(int col) const { return Time{std::chrono::seconds{s_.int64(col)}}; }
  std::optional<Time> opt_time(int col) const {
    return s_.is_null(col) ? std::nullopt : std::optional<Time>(time(col));
  }
  std::optional<int64_t> opt_int64(int col) const {
    return s_.is_null(col) ? std::nullopt : std::optional<int64_t>(s_.int64(col));
  }
  // A stored state or kind read by `parse` (store/states.h). Text it does not know (a damaged
  // or newer database) gives `fallback` and makes the query fail with kCorruption naming `what`.
  template <typename E>
  E parsed(int col, std::optional<E> (*parse)(std::string_view), E fallback,
           const char* what) const {
    const std::string t = s_.text(col);
    if (auto v = parse(t)) return *v;
    if (!error_)
      error_ = Error::Corruption("unknown " + std::string(what) + " \"" + t + "\" in the database",
                                 "store");
    return fallback;
  }
  const std::optional<Error>& error() const { return error_; }

 private:
  const Statement& s_;
  mutable std::optional<Error> error_;
};

// A blob parameter (raw message bytes): bound as bytes, not text.
struct Blob {
  std::string_view bytes;
};

// Binds one value by its C++ type: integers and booleans as integers, times as Unix seconds,
// strings as text, nullopt as NULL.
inline void bind_value(Statement& s, int i, int64_t v) { s.bind_int(i, v); }
inline void bind_value(Statement& s, int i, int v) { s.bind_int(i, v); }
inline void bind_value(Statement& s, int i, bool v) { s.bind_int(i, v ? 1 : 0); }
inline void bind_value(Statement& s, int i, Time t) { s.bind_int(i, t.time_since_epoch().count()); }
inline void bind_value(Statement& s, int i, std::string_view v) { s.bind_text(i, v); }
inline void bind_value(Statement& s, int i, const std::string& v) { s.bind_text(i, v); }
inline void bind_value(Statement& s, int i, const char* v) { s.bind_text(i, v); }
inline void bind_value(Statement& s, int i, Blob b) { s.bind_blob(i, b.bytes); }
inline void bind_value(Statement& s, int i, std::nullopt_t) { s.bind_null(i); }
// A state or kind (store/states.h, core/taxonomy.h) as its text form, which lives forever.
template <typename E, typename = std::enable_if_t<std::is_enum_v<E>>>
void bind_value(Statement& s, int i, E e) {
  s.bind_text(i, to_string(e));
}
template <typename T>
void bind_value(Statement& s, int i, const std::optional<T>& v) {
  if (v) {
    bind_value(s, i, *v);
  } else {
    s.bind_null(i);
  }
}

template <typename... Args>
void bind_all(Statement& s, const Args&... args) {
  int i = 0;
  (bind_value(s, ++i, args), ...);
}

// The few places where the back ends' SQL differs (full-text search) ask which one they speak.
enum class Dialect { kSqlite, kPostgres };

class Connection {
 public:
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;

  // The statement for `sql`, prepared on first use and kept for the connection's life; reset,
  // with nothing bound. Pass the same text each time (a literal or a static string).
  virtual Result<Statement*> statement(std::string_view sql) = 0;

  // Runs `sql` with `args` bound to ?1, ?2 ... in order, to completion.
  template <typename... Args>
  Status exec(std::string_view sql, const Args&... args) {
    auto st = statement(sql);
    if (!st) return fail(st.error());
    bind_all(**st, args...);
    return (*st)->execute();
  }

  // Calls `each(const Row&)` for every row of `sql`.
  template <typename Each, typename... Args>
  Status for_each(std::string_view sql, Each each, const Args&... args) {
    auto st = statement(sql);
    if (!st) return fail(st.error());
    bind_all(**st, args...);
    const Row row(**st);
    while (true) {
      auto more = (*st)->step();
      if (!more) return fail(more.error());
      if (!*more) break;
      each(row);
      if (row.error()) {
        (*st)->reset();
        return fail(*row.error());
      }
    }
    (*st)->reset();
    return {};
  }

  // Every row of `sql`, each made by `read(const Row&)`.
  template <typename Read, typename... Args>
  auto query(std::string_view sql, Read read, const Args&... args)
      -> Result<std::vector<decltype(read(std::declval<const Row&>()))>> {
    std::vector<decltype(read(std::declval<const Row&>()))> out;
    if (auto s = for_each(
            sql, [&](const Row& r) { out.push_back(read(r)); }, args...);
        !s)
      return fail(s.error());
    return out;
  }

  // The first row of `sql` made by `read`, nullopt when there is none.
  template <typename Read, typename... Args>
  auto query_one(std::string_view sql, Read read, const Args&... args)
      -> Result<std::optional<decltype(read(std::declval<const Row&>()))>> {
    std::optional<decltype(read(std::declval<const Row&>()))> out;
    auto st = statement(sql);
    if (!st) return fail(st.error());
    bind_all(**st, args...);
    auto more = (*st)->step();
    if (!more) return fail(more.error());
    const Row row(**st);
    if (*more) out = read(row);
    (*st)->reset();
    if (row.error()) return fail(*row.error());
    return out;
  }

  // The integer in the first column of the first row; nullopt when there is no row or it is NULL
  // (an id looked up, max(id) over nothing, the id RETURNING gives when ON CONFLICT DO NOTHING
  // inserted a row).
  template <typename... Args>
  Result<std::optional<int64_t>> query_int(std::string_view sql, const Args&... args) {
    auto st = statement(sql);
    if (!st) return fail(st.error());
    bind_all(**st, args...);
    auto more = (*st)->step();
    if (!more) return fail(more.error());
    std::optional<int64_t> out;
    if (*more && !(*st)->is_null(0)) out = (*st)->int64(0);
    (*st)->reset();
    return out;
  }

  // An INSERT ending in RETURNING id: the new row's id. kInternal when it returned none.
  template <typename... Args>
  Result<Id> insert_returning_id(std::string_view sql, const Args&... args) {
    auto id = query_int(sql, args...);
    if (!id) return fail(id.error());
    if (!*id) return fail(Error::Internal("an insert returned no id", "store"));
    return **id;
  }
};

}  // namespace kz::store::sql
