// The PostgreSQL driver of the SQL layer (sql/connection.h), over libpq. Only src/store includes
// this header.
//
// Statements are prepared once per server session (PQprepare, ?N rewritten to $N, parameter types
// left to the server) and run with PQexecPrepared: values in text form, blobs in binary form
// (bytea, no escaping), results in text form and read whole before the first row is returned, so
// a caller may run other statements while it walks the rows, as it may on SQLite. A result is
// therefore held in memory: the repositories read large data (raw messages) in rows of at most
// 16 MiB (sql/messages.cpp), never as one value.
//
// A lost connection (the server restarted, a network cut) fails the statement with kUnavailable;
// reconnect() opens a new session, after which every statement is prepared again on first use.
// Text PostgreSQL cannot store is made storable rather than refused: invalid UTF-8 becomes
// U+FFFD and NUL becomes U+FFFD (SQLite keeps both; intake already stores only valid UTF-8).
//
// Thread-safety: one thread at a time.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.h"
#include "store/sql/connection.h"

namespace kz::store {

// An error for what a PostgreSQL call reported: kUnavailable for a lost or refused connection, a
// server shutting down, a full disk, a deadlock or a lock timeout (try again); kCorruption for
// damaged data; kInternal for a statement the server refused (a bug). Never holds SQL or a
// password. `result` may be null (a connection-level failure).
Error postgres_error(PGconn* conn, const PGresult* result, std::string_view context);

class PgConnection final : public sql::Connection {
 public:
  // `conninfo` is a libpq connection URL or keyword string; `shown` is how errors name it (the
  // locator with its password redacted).
  static Result<std::unique_ptr<PgConnection>> open(const std::string& conninfo,
                                                    const std::string& shown);
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() override;

  Result<sql::Statement*> statement(std::string_view sql) override;
  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

  // Runs SQL text that may hold several statements and no parameters (a migration, BEGIN). Not
  // while pipelined (leave_pipeline first).
  Status exec_script(const std::string& sql);

  // Pipeline mode, inside a transaction: a statement run for its effect only (Statement::execute)
  // is sent without waiting for its answer; the answers are read at the next statement that reads
  // rows, or at leave_pipeline(), which returns the first failure among them. One round trip per
  // query instead of one per statement.
  Status enter_pipeline();
  Status leave_pipeline();
  bool pipelined() const { return pipelined_; }

  // False once the session was lost.
  bool connected() const;
  // Called by statement() when the session was lost and no transaction is open, to replace it
  // (the database's reconnect, which also takes back its leases); its error is the statement's.
  void on_lost(std::function<Status()> reconnect) { on_lost_ = std::move(reconnect); }
  // Set while the owner has a transaction open: a session lost then is not replaced behind it.
  void in_transaction(bool open) { in_transaction_ = open; }
  // A new session in place of a lost one. kUnavailable when the server cannot be reached.
  Status reconnect();
  // Waits up to `at_most` for a notification on a channel this session LISTENs to; true when one
  // came (all pending ones are consumed).
  bool wait_for_notification(std::chrono::milliseconds at_most);
  // Increases each time a new session replaced the old one (statements prepare again).
  int session() const { return session_; }

  const std::string& shown() const { return shown_; }
  PGconn* handle() { return conn_; }

 private:
  class PreparedStatement;
  PgConnection(PGconn* conn, std::string conninfo, std::string shown);

  PGconn* conn_;
  const std::string conninfo_;
  const std::string shown_;
  int session_ = 1;
  bool in_transaction_ = false;
  bool pipelined_ = false;
  int pending_ = 0;  // statements sent in the pipeline whose answers are not read yet
  // Reads the answers of the pending statements (their results, each ended by a null). The
  // first failure, if any.
  Status collect_pending();
  // A sync point: the answers of everything sent so far, read; the first failure among them.
  Status sync_pending();
  std::function<Status()> on_lost_;
  int next_name_ = 0;
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<PreparedStatement>, SqlHash, std::equal_to<>>
      cache_;
};

// Connects to `conninfo` with Kizuna's defaults (a 10 s connect timeout, UTF-8, the application
// name "kizuna"), each overridden by the URL. kUnavailable naming `shown` when it fails.
Result<PGconn*> connect_postgres(const std::string& conninfo, const std::string& shown);

}  // namespace kz::store
