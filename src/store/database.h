// A centre's database: the only module that speaks SQL. Everything else sees the narrow
// repositories below (one per area, each in its own header) and the plain records they return.
// A consumer takes the repositories it uses, not the Database: an ingest needs messages, reports,
// incidents and events; the checker's round needs sites, outbox and events.
//
// SQLite (embedded, the default) and PostgreSQL (a team's server) implement it with the same SQL
// (sql/); open_store() picks one by the locator (store/locator.h).
//
// Thread-safety: a Database and every repository it hands out are used by one thread at a time.
// Writes happen inside begin()/commit(); a failed commit leaves the database as before begin().
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "store/common.h"
#include "store/events.h"
#include "store/incidents.h"
#include "store/jobs.h"
#include "store/messages.h"
#include "store/network_data.h"
#include "store/outbox.h"
#include "store/queries.h"
#include "store/reporters.h"
#include "store/reports.h"
#include "store/settings.h"
#include "store/sites.h"
#include "store/users.h"

namespace kz::store {

// The transactions of one connection.
//
// Transactions nest: the outermost begin() starts one, an inner begin() sets a savepoint. An inner
// rollback() undoes only what was written since its begin() (a coordination step that fails
// inside intake's batch, `quarantine retry` around an ingest); the outermost undoes everything. A
// savepoint copies each page written under it into SQLite's sub-journal, so intake does not open
// one per message (triage/ingest_run.cpp). commit() closes the innermost level; only the outermost
// makes writes durable. Errors: kUnavailable when the database is busy past its timeout or cannot
// be written; kInternal for commit() without begin().
class Transactions {
 public:
  virtual ~Transactions() = default;

  virtual Status begin() = 0;
  virtual Status commit() = 0;
  virtual void rollback() = 0;
  // True when the next begin() would wait for the store to finish flushing earlier commits (a
  // SQLite checkpoint running on its own thread). A writer with other work to do, such as
  // parsing the next messages, may do it first; begin() waits either way.
  virtual bool begin_would_wait() const { return false; }
};

// Runs `body` (returning Status or Result<T>) inside a transaction of `tx`: committed when it
// succeeds, rolled back when it or the commit fails. Returns what `body` returned, or the error
// of begin() or commit().
template <typename Body>
auto in_transaction(Transactions& tx, Body&& body) -> decltype(body()) {
  if (auto s = tx.begin(); !s) return fail(s.error());
  auto r = body();
  if (!r) {
    tx.rollback();
    return r;
  }
  if (auto s = tx.commit(); !s) {
    tx.rollback();
    return fail(s.error());
  }
  return r;
}

// A role held by one process at a time (Database::hold_exclusive), until destroyed.
class Lease {
 public:
  virtual ~Lease() = default;
  // True once the role was lost: a PostgreSQL session ended and, by the time a new one asked for
  // the role again, another process held it. The holder must stop acting in the role.
  virtual bool lost() const { return false; }
};

class Database : public Transactions {
 public:
  virtual MessageStore& messages() = 0;
  virtual ReportStore& reports() = 0;
  virtual IncidentStore& incidents() = 0;
  virtual SiteStore& sites() = 0;
  virtual OutboxStore& outbox() = 0;
  virtual ReporterStore& reporters() = 0;
  virtual EventLog& events() = 0;
  virtual NetworkDataStore& network_data() = 0;
  virtual SettingStore& settings() = 0;
  virtual ReportQueries& queries() = 0;
  virtual JobClaims& jobs() = 0;
  virtual UserStore& users() = 0;
  // "sqlite" or "postgresql".
  virtual std::string_view back_end() const = 0;

  // Writes a consistent copy of the whole database to the new file `path` while other processes
  // go on using the database (SQLite's online backup; the copy opens as an SQLite database).
  // Errors: kInvalidArgument when `path` exists, and on PostgreSQL, whose backups are pg_dump's
  // (docs/operations.md); kIo when the file cannot be written.
  virtual Status backup_to(const std::string& path) = 0;

  // Holds `role` ("worker": two workers would both send the same approved notice) for this
  // process until the returned object is destroyed; a process that ends or crashes frees it.
  // Errors: kUnavailable when another process holds it. Every back end provides its own (a file
  // lock beside a SQLite database; a session advisory lock on PostgreSQL, taken back after a
  // reconnect or kUnavailable if another process took it meanwhile). A lease must not outlive its
  // Database.
  virtual Result<std::unique_ptr<Lease>> hold_exclusive(const std::string& role) = 0;
  // Holds `role` shared with any number of processes until the returned object is destroyed; an
  // exclusive hold of the same role waits for every shared one to end, and the other way round
  // (workers on PostgreSQL hold "worker" shared; `db copy` holds it exclusive). kUnavailable when
  // a process holds it exclusive.
  virtual Result<std::unique_ptr<Lease>> hold_shared(const std::string& role) = 0;

  // Waits until another process announces work (announce_work) or `at_most` has passed; true
  // when work was announced. PostgreSQL listens (LISTEN/NOTIFY); SQLite just waits. A lost
  // connection waits the full time (the next statement reconnects).
  virtual bool wait_for_work(std::chrono::milliseconds at_most) = 0;
  // Wakes the processes waiting in wait_for_work (inside a transaction: once it commits).
  virtual Status announce_work() = 0;
};

// Opens (creating if needed) an SQLite store and applies pending migrations.
// kUnavailable when the file cannot be opened or is locked past the busy timeout.
struct SqliteOptions {
  // A commit that leaves this many pages (16 KiB) in the write-ahead log has it checkpointed into
  // the database file, on a thread of its own (checkpointer.h). A bulk ingest rewrites the same
  // index pages in every batch and each checkpoint copies them once: 2048 pages measured 137 us
  // per message, 8192 119 us.
  int wal_checkpoint_pages = 8192;
  // Create the database when the file does not exist (the commands that bring data in). Off: a
  // missing file is kNotFound naming the path, so a mistyped --db never makes an empty database.
  bool create = true;
  // Only read: with `create` off and the file or its folder not writable (a copy on read-only
  // media, a folder of another user), the database is opened read-only and immutable (no -wal
  // or -shm can be made there, so no writer can be running either). Writes then fail
  // (kUnavailable).
  bool read_only_fallback = true;
};
Result<std::unique_ptr<Database>> open_sqlite_store(const std::string& path,
                                                    const SqliteOptions& options = {});

// Opens a PostgreSQL store (libpq URL: postgresql://user@host:port/db?..., with .pgpass,
// PGPASSFILE and service files honoured) and applies pending migrations under an advisory lock.
// A lost connection is replaced on the next statement outside a transaction. Errors name the URL
// with its password redacted: kUnavailable when the server cannot be reached; kCorruption when the
// schema is newer than this build; kNotFound when `create` is off and the database holds no
// Kizuna schema.
struct PostgresOptions {
  bool create = true;
};
Result<std::unique_ptr<Database>> open_postgres_store(const std::string& url,
                                                      const PostgresOptions& options = {});

// The back end `locator` names (a PostgreSQL URL, else an SQLite path). `options.create` applies to
// both; the rest of `options` to SQLite only.
Result<std::unique_ptr<Database>> open_store(const std::string& locator,
                                             const SqliteOptions& options = {});

// Number of the newest migration this build knows.
int schema_version();

}  // namespace kz::store
