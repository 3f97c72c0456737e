// The PostgreSQL back end of store::Database: one libpq connection, its transactions, the
// migrations of migrations/postgres/, role leases as advisory locks, and the repositories of sql/
// over it, the same as SQLite's.
#include <functional>
#include <set>
#include <thread>
#include <utility>

#include "store/database.h"

#include "store/locator.h"
#include "store/migrations.h"
#include "store/postgres/connection.h"
#include "store/sql/sql_database.h"

namespace kz::store {

namespace {

// Advisory lock keys: 'K','Z' in the high bytes keeps them apart from other applications' keys.
constexpr int64_t kMigrationLock = 0x4b5a000000000001;
// Taken by every write transaction until it ends (pg_advisory_xact_lock): writers take turns, as
// they do on SQLite (BEGIN IMMEDIATE). The repositories read, decide and write in one transaction
// (is this indicator known? then merge, else create), which under READ COMMITTED alone would let
// two writers both create.
constexpr int64_t kWriterLock = 0x4b5a000000000002;
// The channel of wait_for_work / announce_work.
constexpr const char* kWorkChannel = "kizuna_work";

// The key of a role's lease: FNV-1a of "kizuna:<role>", in the 'K','Z' range.
int64_t role_key(const std::string& role) {
  uint64_t h = 1469598103934665603ull;
  for (char c : "kizuna:" + role) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return static_cast<int64_t>(0x4b5a000000000000ull | (h & 0x0000ffffffff0000ull) | 0x100);
}

class PgDatabase final : public sql::SqlDatabase {
 public:
  explicit PgDatabase(std::unique_ptr<PgConnection> c) : c_(std::move(c)) {
    open_repositories(*c_);
    c_->on_lost([this] { return ensure_connected(); });
  }

  std::string_view back_end() const override { return "postgresql"; }
  sql::Connection& connection() override { return *c_; }
  Status backup_to(const std::string& path) override {
    return fail(Error::InvalidArgument(
        "a PostgreSQL database is backed up with pg_dump (pg_dump -Fc -f FILE URL) or by the "
        "server's continuous archiving; docs/operations.md says how to restore",
        path));
  }

  // Inside a transaction statements run pipelined (connection.h); transaction control runs
  // outside the pipeline, after the answers of everything sent were read.
  Status begin() override {
    if (depth_ > 0) {
      if (auto s = c_->leave_pipeline(); !s) return s;
      auto s = c_->exec_script("SAVEPOINT kz_nested");
      if (s) ++depth_;
      if (auto p = c_->enter_pipeline(); !p && s) s = p;
      return s;
    }
    if (auto s = ensure_connected(); !s) return s;
    if (auto s = c_->exec_script("BEGIN"); !s) return s;
    c_->in_transaction(true);
    if (auto s = c_->exec("SELECT pg_advisory_xact_lock(?1)", kWriterLock); !s) {
      (void)c_->exec_script("ROLLBACK");
      c_->in_transaction(false);
      return s;
    }
    depth_ = 1;
    return c_->enter_pipeline();
  }
  Status commit() override {
    if (depth_ == 0) return fail(Error::Internal("commit without a transaction", "store"));
    if (auto s = c_->leave_pipeline(); !s) {
      // Something sent in this transaction failed: it cannot commit. The caller rolls back.
      if (depth_ > 1) (void)c_->enter_pipeline();
      return s;
    }
    if (depth_ > 1) {
      --depth_;
      auto s = c_->exec_script("RELEASE kz_nested");
      if (auto p = c_->enter_pipeline(); !p && s) s = p;
      return s;
    }
    depth_ = 0;
    c_->in_transaction(false);
    return c_->exec_script("COMMIT");
  }
  void rollback() override {
    if (depth_ == 0) return;
    (void)c_->leave_pipeline();
    if (depth_ > 1) {
      --depth_;
      if (c_->exec_script("ROLLBACK TO kz_nested") && c_->exec_script("RELEASE kz_nested")) {
        (void)c_->enter_pipeline();
        return;
      }
    }
    depth_ = 0;
    c_->in_transaction(false);
    (void)c_->exec_script("ROLLBACK");
  }

  // Session-level advisory locks: the server frees them when the session ends, however.
  Result<std::unique_ptr<Lease>> hold_exclusive(const std::string& role) override {
    return hold(role, false);
  }
  Result<std::unique_ptr<Lease>> hold_shared(const std::string& role) override {
    return hold(role, true);
  }

  bool wait_for_work(std::chrono::milliseconds at_most) override {
    if (listening_in_ != c_->session()) {
      if (!ensure_connected() || !c_->exec_script("LISTEN " + std::string(kWorkChannel))) {
        std::this_thread::sleep_for(at_most);
        return false;
      }
      listening_in_ = c_->session();
    }
    return c_->wait_for_notification(at_most);
  }
  Status announce_work() override {
    return c_->exec("SELECT pg_notify(?1, '')", std::string_view(kWorkChannel));
  }

  Result<int64_t> schema_version() {
    auto v = c_->query_int("SELECT COALESCE(MAX(version),0) FROM schema_version");
    if (!v) return fail(v.error());
    return v->value_or(0);
  }

  // Applies pending migrations under an advisory lock, so two processes starting at once on a
  // new database do not both apply them.
  Status migrate(bool create) {
    if (auto s = c_->exec("SELECT pg_advisory_lock(?1)", kMigrationLock); !s) return s;
    auto s = migrate_locked(create);
    (void)c_->exec("SELECT pg_advisory_unlock(?1)", kMigrationLock);
    return s;
  }

 private:
  Status migrate_locked(bool create) {
    if (auto s =
            c_->exec_script("CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)");
        !s) {
      return s;
    }
    auto version = schema_version();
    if (!version) return fail(version.error());
    const int64_t have = *version;
    const auto& all = postgres_migrations();
    if (have > static_cast<int64_t>(all.size())) {
      return fail(newer_schema_error(have, c_->shown()));
    }
    if (have == 0 && !create) {
      return fail(
          Error::NotFound("this PostgreSQL database holds no Kizuna data yet: `kizuna ingest` or "
                          "`kizuna db copy --to` creates it",
                          c_->shown()));
    }
    for (size_t v = static_cast<size_t>(have); v < all.size(); ++v) {
      if (auto s = c_->exec_script("BEGIN"); !s) return s;
      auto s = c_->exec_script(all[v]);
      if (s)
        s = c_->exec("INSERT INTO schema_version(version) VALUES(?1)", static_cast<int64_t>(v + 1));
      if (s) s = c_->exec_script("COMMIT");
      if (!s) {
        (void)c_->exec_script("ROLLBACK");
        return fail(Error{s.error().code, s.error().message,
                          "applying PostgreSQL migration " + std::to_string(v + 1)});
      }
    }
    return {};
  }

  Result<std::unique_ptr<Lease>> hold(const std::string& role, bool shared) {
    const int64_t key = role_key(role);
    if (auto s = ensure_connected(); !s) return fail(s.error());
    auto got = try_lock(key, shared);
    if (!got) return fail(got.error());
    if (!*got) {
      return fail(
          Error::Unavailable("another " + role + " is running on this database", c_->shown()));
    }
    held_.insert({key, shared});
    struct AdvisoryLease final : Lease {
      PgDatabase* db;
      std::pair<int64_t, bool> lock;
      AdvisoryLease(PgDatabase* d, std::pair<int64_t, bool> l) : db(d), lock(l) {}
      ~AdvisoryLease() override { db->release(lock); }
      bool lost() const override { return db->held_.count(lock) == 0; }
    };
    return std::unique_ptr<Lease>(std::make_unique<AdvisoryLease>(this, std::pair{key, shared}));
  }

  Result<bool> try_lock(int64_t key, bool shared) {
    auto got =
        shared ? c_->query_int("SELECT CASE WHEN pg_try_advisory_lock_shared(?1) THEN 1 ELSE 0 END",
                               key)
               : c_->query_int("SELECT CASE WHEN pg_try_advisory_lock(?1) THEN 1 ELSE 0 END", key);
    if (!got) return fail(got.error());
    return got->value_or(0) == 1;
  }

  // Outside a transaction a lost session is replaced by a new one, which takes back the leases
  // the old one held; inside one the transaction is lost and the caller's rollback ends it.
  Status ensure_connected() {
    if (c_->connected()) return {};
    if (auto s = c_->reconnect(); !s) return s;
    for (const auto& lock : std::set<std::pair<int64_t, bool>>(held_)) {
      auto got = try_lock(lock.first, lock.second);
      if (!got) return fail(got.error());
      if (!*got) {
        held_.erase(lock);  // the lease reports lost(); the next statement goes on
        return fail(Error::Unavailable(
            "the connection to PostgreSQL was lost and another process took over this "
            "process's role meanwhile",
            c_->shown()));
      }
    }
    return {};
  }

  void release(std::pair<int64_t, bool> lock) {
    held_.erase(lock);
    if (!c_->connected()) return;
    if (lock.second) {
      (void)c_->exec("SELECT pg_advisory_unlock_shared(?1)", lock.first);
    } else {
      (void)c_->exec("SELECT pg_advisory_unlock(?1)", lock.first);
    }
  }

  int depth_ = 0;
  std::set<std::pair<int64_t, bool>> held_;  // (key, shared) of the leases not yet destroyed
  int listening_in_ = 0;  // the session that LISTENs for announced work (0: none yet)
  std::unique_ptr<PgConnection> c_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_postgres_store(const std::string& url,
                                                      const PostgresOptions& options) {
  const std::string shown = redact_locator(url);
  auto c = PgConnection::open(url, shown);
  if (!c) return fail(c.error());
  auto db = std::make_unique<PgDatabase>(std::move(*c));
  if (auto s = db->migrate(options.create); !s) return fail(s.error());
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace kz::store
