#include "store/sqlite/sqlite.h"

#include <mutex>

#include "store/database.h"

namespace kz::store {

// The statement that failed (`what`) is not part of the error: a user is told what happened
// and what to do, never shown SQL. The database's path is the context.
Error sqlite_error(sqlite3* db, std::string_view /*what*/) {
  const int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;
  std::string msg = db ? sqlite3_errmsg(db) : "no database";
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  std::string where = file && *file ? file : "";
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED) {
    return Error::Unavailable(
        "the database is busy (" + msg + "): another process holds it; try again in a moment",
        where);
  }
  if (code == SQLITE_FULL) {
    return Error::Unavailable("the disk holding the database is full (" + msg +
                                  "): free some space and run the command again",
                              where);
  }
  if (code == SQLITE_CANTOPEN || code == SQLITE_IOERR || code == SQLITE_READONLY) {
    return Error::Unavailable("the database cannot be read or written (" + msg +
                                  "): check the file's permissions and disk, then try again",
                              where);
  }
  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
    return Error::Corruption("the database file is damaged or not a Kizuna database (" + msg +
                                 "): restore it from a backup, or name the right file with --db",
                             where);
  }
  return Error::Internal("the database refused a change (" + msg +
                             "); this is a bug in Kizuna: please report it with the command run",
                         where);
}

Statement& Statement::operator=(Statement&& o) noexcept {
  if (this != &o) {
    sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Statement& Statement::bind(int i, std::string&& v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind(int i, const std::string&& v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_blob_static(int i, std::string_view v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind(int i, const std::optional<int64_t>& v) {
  return v ? bind(i, *v) : bind_null(i);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = sqlite_error(db_, sqlite3_sql(stmt_));
  reset();  // and unbind: bound views may not outlive the caller
  return fail(std::move(e));
}

Status Statement::run() {
  while (true) {
    auto r = step();
    if (!r) return fail(r.error());
    if (!*r) break;
  }
  reset();
  return {};
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (!p) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string Statement::blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (!p) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

Result<std::unique_ptr<Db>> Db::open(const std::string& path, int busy_timeout_ms, Mode mode) {
  static std::once_flag configure_once;
  std::call_once(configure_once, [] {
    // Before SQLite initialises: no global allocation statistics, so no process-wide mutex
    // around every malloc SQLite makes (Debian builds it without lookaside, hence ~200 mallocs
    // per ingested message). Fails harmlessly if SQLite was initialised already.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  sqlite3* raw = nullptr;
  const bool read_only = mode == Mode::kReadOnly;
  int flags = SQLITE_OPEN_NOMUTEX;
  if (read_only) {
    flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
  } else {
    flags |= SQLITE_OPEN_READWRITE | (mode == Mode::kCreate ? SQLITE_OPEN_CREATE : 0);
  }
  // A read-only open names the file as a URI with immutable=1: SQLite then makes no -shm file.
  std::string uri = "file:";
  for (const char c : path) {
    if (c == '?' || c == '#' || c == '%') {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[static_cast<unsigned char>(c) >> 4];
      uri += hex[static_cast<unsigned char>(c) & 15];
    } else {
      uri += c;
    }
  }
  uri += "?immutable=1";
  const int rc = sqlite3_open_v2(read_only ? uri.c_str() : path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    return fail(Error::Unavailable("cannot open the database: " + msg, path));
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  // WAL lets readers run beside the writer; NORMAL sync is durable at every WAL checkpoint and
  // safe against corruption. A 64 MiB page cache and memory-mapped reads keep look-ups out of
  // the kernel while ingesting (measured: pread calls per message fell from 35 to under 1).
  // 16 KiB pages (new databases; an existing file keeps its size): a stored message (2-3 KB)
  // shares its page with others and every commit writes fewer, fuller WAL frames; measured on
  // the intake benchmark, 150 -> 119 us per message against 4 KiB. A store's writer checkpoints
  // on a thread of its own (checkpointer.h); other connections keep SQLite's automatic one.
  const std::string autocheckpoint =
      "PRAGMA wal_autocheckpoint=" + std::to_string(SqliteOptions{}.wal_checkpoint_pages);
  for (const char* pragma :
       {"PRAGMA page_size=16384", "PRAGMA journal_mode=WAL", "PRAGMA foreign_keys=ON",
        "PRAGMA synchronous=NORMAL", "PRAGMA cache_size=-65536", "PRAGMA mmap_size=268435456",
        "PRAGMA temp_store=MEMORY", autocheckpoint.c_str(), "PRAGMA secure_delete=OFF"}) {
    // A read-only database keeps its journal mode and page size: setting them would write.
    if (read_only && (std::string_view(pragma).find("journal_mode") != std::string_view::npos ||
                      std::string_view(pragma).find("page_size") != std::string_view::npos))
      continue;
    if (auto s = db->exec(pragma); !s) return fail(s.error());
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    Error e = sqlite_error(db_, s.substr(0, 80));
    sqlite3_free(err);
    return fail(std::move(e));
  }
  return {};
}

Result<Statement> Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return fail(sqlite_error(db_, sql));
  }
  return Statement(db_, stmt);
}

}  // namespace kz::store
