// The SQLite back end of store::Database: one connection, its transactions, the migrations, the
// role lease, and the repositories of sql/ over it.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "store/database.h"
#include "store/locator.h"
#include "store/migrations.h"
#include "store/sql/sql_database.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite.h"

namespace kz::store {

namespace {

class SqliteDatabase final : public sql::SqlDatabase {
 public:
  SqliteDatabase(std::unique_ptr<Db> db, const SqliteOptions& options)
      : db_(std::move(db)),
        connection_(*db_),
        checkpointer_(db_->handle(), sqlite3_db_filename(db_->handle(), "main"),
                      options.wal_checkpoint_pages) {
    open_repositories(connection_);
  }

  std::string_view back_end() const override { return "sqlite"; }
  sql::Connection& connection() override { return connection_; }

  // Copies the pages in steps, letting writers in between; a step that finds the database busy
  // waits a moment and goes on. The copy is written beside its name and renamed when complete,
  // so an interrupted backup never looks like a whole one.
  Status backup_to(const std::string& path) override {
    if (std::filesystem::exists(path))
      return fail(Error::InvalidArgument("the backup file exists already: name a new one", path));
    const std::string partial = path + ".partial";
    std::filesystem::remove(partial);
    sqlite3* out = nullptr;
    if (sqlite3_open_v2(partial.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                        nullptr) != SQLITE_OK) {
      sqlite3_close(out);
      return fail(Error::Io("cannot create the backup file", path));
    }
    sqlite3_backup* b = sqlite3_backup_init(out, "main", db_->handle(), "main");
    if (!b) {
      Error e = Error::Io(std::string("cannot start the backup: ") + sqlite3_errmsg(out), path);
      sqlite3_close(out);
      return fail(e);
    }
    // 1,024 pages of 16 KiB per step: 16 MiB between the moments a writer may commit.
    int rc = SQLITE_OK;
    while ((rc = sqlite3_backup_step(b, 1024)) == SQLITE_OK || rc == SQLITE_BUSY ||
           rc == SQLITE_LOCKED) {
      if (rc != SQLITE_OK) sqlite3_sleep(50);
    }
    sqlite3_backup_finish(b);
    const bool ok = rc == SQLITE_DONE && sqlite3_errcode(out) == SQLITE_OK;
    const std::string message = sqlite3_errmsg(out);
    sqlite3_close(out);
    if (!ok) {
      std::filesystem::remove(partial);
      return fail(Error::Io("the backup failed: " + message, path));
    }
    std::error_code ec;
    std::filesystem::rename(partial, path, ec);
    if (ec) return fail(Error::Io("cannot name the backup file: " + ec.message(), path));
    return {};
  }

  // Transactions nest: only the outermost begin/commit reach SQLite as BEGIN/COMMIT, an inner one
  // is a savepoint (database.h).
  Status begin() override {
    if (depth_ > 0) {
      auto s = connection_.exec("SAVEPOINT kz_nested");
      if (s) ++depth_;
      return s;
    }
    checkpointer_.wait_idle();  // so that this transaction restarts the WAL (checkpointer.h)
    auto s = db_->exec("BEGIN IMMEDIATE");
    if (s) depth_ = 1;
    return s;
  }
  Status commit() override {
    if (depth_ == 0) return fail(Error::Internal("commit without a transaction", "store"));
    if (depth_ > 1) {
      --depth_;
      return connection_.exec("RELEASE kz_nested");
    }
    depth_ = 0;
    return db_->exec("COMMIT");
  }
  bool begin_would_wait() const override { return depth_ == 0 && checkpointer_.busy(); }
  void rollback() override {
    if (depth_ == 0) return;
    if (depth_ > 1) {
      --depth_;
      if (connection_.exec("ROLLBACK TO kz_nested") && connection_.exec("RELEASE kz_nested"))
        return;
      // The savepoint could not be undone: nothing of the transaction can be trusted.
    }
    depth_ = 0;
    (void)db_->exec("ROLLBACK");
  }

  Result<std::unique_ptr<Lease>> hold_exclusive(const std::string& role) override {
    return hold(role, LOCK_EX);
  }
  Result<std::unique_ptr<Lease>> hold_shared(const std::string& role) override {
    return hold(role, LOCK_SH);
  }
  bool wait_for_work(std::chrono::milliseconds at_most) override {
    std::this_thread::sleep_for(at_most);
    return false;
  }
  Status announce_work() override { return {}; }

  // The newest migration applied to this database.
  Result<int64_t> schema_version() {
    auto v = connection_.query_int("SELECT COALESCE(MAX(version),0) FROM schema_version");
    if (!v) return fail(v.error());
    return v->value_or(0);
  }

  Status migrate() {
    if (auto s = db_->exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
        !s) {
      return s;
    }
    auto version = schema_version();
    if (!version) return fail(version.error());
    const int64_t have = *version;
    const auto& all = migrations();
    if (have > static_cast<int64_t>(all.size())) {
      return fail(newer_schema_error(have, sqlite3_db_filename(db_->handle(), "main")));
    }
    for (size_t v = static_cast<size_t>(have); v < all.size(); ++v) {
      if (auto s = db_->exec("BEGIN IMMEDIATE"); !s) return s;
      auto s = db_->exec(all[v]);
      if (s)
        s = connection_.exec("INSERT INTO schema_version(version) VALUES(?1)",
                             static_cast<int64_t>(v + 1));
      if (!s) {
        (void)db_->exec("ROLLBACK");
        return fail(Error{s.error().code, s.error().message,
                          "applying migration " + std::to_string(v + 1)});
      }
      if (auto c = db_->exec("COMMIT"); !c) return c;
    }
    return {};
  }

 private:
  // A file lock beside the database: the kernel frees it when the process ends, however.
  Result<std::unique_ptr<Lease>> hold(const std::string& role, int mode) {
    struct FileLease final : Lease {
      int fd;
      explicit FileLease(int f) : fd(f) {}
      ~FileLease() override { ::close(fd); }
    };
    const char* file = sqlite3_db_filename(db_->handle(), "main");
    if (!file || !*file) return std::unique_ptr<Lease>(std::make_unique<Lease>());  // in memory
    const std::string path = std::string(file) + "." + role + ".lock";
    const int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 || ::flock(fd, mode | LOCK_NB) != 0) {
      if (fd >= 0) ::close(fd);
      return fail(Error::Unavailable("another " + role + " is running on this database", path));
    }
    return std::unique_ptr<Lease>(std::make_unique<FileLease>(fd));
  }

  int depth_ = 0;  // begin() calls not yet committed
  std::unique_ptr<Db> db_;
  SqliteConnection connection_;
  WalCheckpointer checkpointer_;  // declared last: stopped before the connection closes
};

}  // namespace

int schema_version() { return static_cast<int>(migrations().size()); }

Error newer_schema_error(int64_t database_version, const std::string& where) {
  return Error::Corruption("the database has schema version " + std::to_string(database_version) +
                               " and this Kizuna knows versions up to " +
                               std::to_string(schema_version()) +
                               ": it was written by a newer Kizuna; upgrade Kizuna to open it",
                           where);
}

Result<std::unique_ptr<Database>> open_store(const std::string& locator,
                                             const SqliteOptions& options) {
  if (is_postgres_url(locator)) {
    PostgresOptions pg;
    pg.create = options.create;
    return open_postgres_store(locator, pg);
  }
  return open_sqlite_store(locator, options);
}

Result<std::unique_ptr<Database>> open_sqlite_store(const std::string& path,
                                                    const SqliteOptions& options) {
  Db::Mode mode = options.create ? Db::Mode::kCreate : Db::Mode::kExisting;
  if (!options.create && path != ":memory:") {
    if (::access(path.c_str(), F_OK) != 0) {
      return fail(Error::NotFound(
          "no database here: check --db (or [store] path); `kizuna ingest` creates one", path));
    }
    const std::string dir = std::filesystem::absolute(path).parent_path().string();
    if (options.read_only_fallback &&
        (::access(path.c_str(), W_OK) != 0 || ::access(dir.c_str(), W_OK) != 0)) {
      mode = Db::Mode::kReadOnly;
    }
  }
  auto db = Db::open(path, 5000, mode);
  if (!db) return fail(db.error());
  auto store = std::make_unique<SqliteDatabase>(std::move(*db), options);
  if (mode == Db::Mode::kReadOnly) {
    // Nothing can be migrated here: a database from an older Kizuna needs a writable copy.
    if (auto v = store->schema_version(); !v) {
      return fail(v.error());
    } else if (*v != static_cast<int64_t>(migrations().size())) {
      return fail(
          Error::Unavailable("the database is read-only here and needs upgrading from "
                             "schema version " +
                                 std::to_string(*v) + ": open it once where it can be written",
                             path));
    }
  } else if (auto s = store->migrate(); !s) {
    return fail(s.error());
  }
  return std::unique_ptr<Database>(std::move(store));
}

}  // namespace kz::store
