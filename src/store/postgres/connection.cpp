#include "store/postgres/connection.h"

#include <poll.h>

#include <charconv>
#include <thread>
#include <vector>

#include "core/text.h"

namespace kz::store {

namespace {

// The message of a failed call on one line: libpq's spans several, indented with tabs.
std::string trimmed(const char* s) {
  std::string out;
  for (const char* p = s ? s : ""; *p; ++p) {
    const bool space = *p == '\n' || *p == '\t' || *p == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : *p;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// SQLSTATE classes that mean "try again" rather than "a bug": connection exceptions (08),
// insufficient resources such as a full disk (53), operator intervention such as a server
// shutting down (57), transaction rollbacks for serialization failures and deadlocks (40), and a
// lock not available (55P03).
bool is_transient(std::string_view state) {
  return state.starts_with("08") || state.starts_with("53") || state.starts_with("57") ||
         state.starts_with("40") || state == "55P03";
}

// ?N -> $N outside quoted text; the highest N is the statement's parameter count.
std::string to_dollar_parameters(std::string_view sql, int& parameters) {
  std::string out;
  out.reserve(sql.size());
  parameters = 0;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (!quoted && c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      int n = 0;
      auto [end, ec] = std::from_chars(sql.data() + i + 1, sql.data() + sql.size(), n);
      (void)ec;
      parameters = std::max(parameters, n);
      out += '$';
      out.append(sql.data() + i + 1, end);
      i = static_cast<size_t>(end - sql.data()) - 1;
      continue;
    }
    out += c;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

// Text PostgreSQL accepts: valid UTF-8 without NUL.
std::string storable_text(std::string_view v) {
  std::string out = sanitize_utf8(v);
  for (size_t at = out.find('\0'); at != std::string::npos; at = out.find('\0', at)) {
    out.replace(at, 1, "\xEF\xBF\xBD");
  }
  return out;
}

}  // namespace

Error postgres_error(PGconn* conn, const PGresult* result, std::string_view context) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message =
      result ? trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) : std::string();
  if (message.empty()) message = trimmed(conn ? PQerrorMessage(conn) : "no connection");
  const std::string where(context);
  if (!conn || PQstatus(conn) == CONNECTION_BAD || !state) {
    return Error::Unavailable("PostgreSQL cannot be reached (" + message +
                                  "): check that the server runs and accepts this connection",
                              where);
  }
  const std::string_view s(state);
  if (s == "53100") {
    return Error::Unavailable("the disk holding the database is full (" + message +
                                  "): free some space and run the command again",
                              where);
  }
  if (is_transient(s)) {
    return Error::Unavailable(
        "the database is busy or restarting (" + message + "); try again in a moment", where);
  }
  if (s.starts_with("XX")) {
    return Error::Corruption(
        "the database reports damaged data (" + message + "): restore it from a backup", where);
  }
  return Error::Internal("the database refused a change (" + message + ", SQLSTATE " +
                             std::string(s) +
                             "); this is a bug in Kizuna: please report it with the command run",
                         where);
}

Result<PGconn*> connect_postgres(const std::string& conninfo, const std::string& shown) {
  // Later keywords override earlier ones, and the expanded URL comes last: what it says wins.
  const char* keys[] = {"connect_timeout", "application_name", "client_encoding", "dbname",
                        nullptr};
  const char* values[] = {"10", "kizuna", "UTF8", conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn) return fail(Error::Unavailable("out of memory connecting to PostgreSQL", shown));
  if (PQstatus(conn) != CONNECTION_OK) {
    Error e = postgres_error(conn, nullptr, shown);
    PQfinish(conn);
    return fail(e);
  }
  // Notices ("relation already exists, skipping") are not the user's business.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  return conn;
}

class PgConnection::PreparedStatement final : public sql::Statement {
 public:
  // Statements sent in the pipeline before their answers are read: each answer is under 100
  // bytes, so this stays far below a Unix socket's buffer, which the server would otherwise fill
  // and wait on while the client waits to send.
  static constexpr int kMaxPending = 256;

  PreparedStatement(PgConnection& c, std::string name, std::string_view sql)
      : c_(c), name_(std::move(name)), sql_(to_dollar_parameters(sql, parameters_)) {
    const size_t n = static_cast<size_t>(parameters_);
    text_.resize(n);
    values_.assign(n, nullptr);
    lengths_.assign(n, 0);
    formats_.assign(n, 0);
  }
  ~PreparedStatement() override { PQclear(result_); }

  // A parameter the statement does not have is ignored, as SQLite ignores it.
  void bind_int(int i, int64_t v) override {
    if (!in_range(i)) return;
    auto& t = text_[i - 1];
    t.resize(24);
    auto [end, ec] = std::to_chars(t.data(), t.data() + t.size(), v);
    (void)ec;
    t.resize(static_cast<size_t>(end - t.data()));
    set(i, t.c_str(), 0, 0);
  }
  void bind_text(int i, std::string_view v) override {
    if (!in_range(i)) return;
    text_[i - 1] = storable_text(v);
    set(i, text_[i - 1].c_str(), 0, 0);
  }
  // Bytes as bytea in binary form: no copy (the layer above keeps them until reset()).
  void bind_blob(int i, std::string_view v) override {
    if (in_range(i)) set(i, v.empty() ? "" : v.data(), static_cast<int>(v.size()), 1);
  }
  void bind_null(int i) override {
    if (in_range(i)) set(i, nullptr, 0, 0);
  }

  Status execute() override {
    if (!c_.pipelined_) return sql::Statement::execute();
    if (auto s = prepare(); !s) {
      reset();
      return s;
    }
    const int sent = PQsendQueryPrepared(c_.conn_, name_.c_str(), parameters_, values_.data(),
                                         lengths_.data(), formats_.data(), 0);
    reset();  // libpq copied the values into its send buffer
    if (!sent) return fail(postgres_error(c_.conn_, nullptr, c_.shown_));
    ++c_.pending_;
    // The answers wait in the server's socket buffer until read: bounded well below its size.
    if (c_.pending_ >= kMaxPending) return c_.sync_pending();
    return {};
  }

  Result<bool> step() override {
    if (!result_) {
      if (auto s = run(); !s) {
        reset();
        return fail(s.error());
      }
    }
    if (row_ + 1 >= rows_) {
      row_ = rows_;
      return false;
    }
    ++row_;
    return true;
  }

  void reset() override {
    PQclear(result_);
    result_ = nullptr;
    row_ = -1;
    rows_ = 0;
    std::fill(values_.begin(), values_.end(), nullptr);
  }

  int64_t int64(int col) const override {
    const char* v = PQgetvalue(result_, row_, col);
    const int n = PQgetlength(result_, row_, col);
    if (n == 1 && (*v == 't' || *v == 'f')) return *v == 't';  // a boolean expression
    int64_t out = 0;
    std::from_chars(v, v + n, out);
    return out;
  }
  std::string text(int col) const override {
    return std::string(PQgetvalue(result_, row_, col),
                       static_cast<size_t>(PQgetlength(result_, row_, col)));
  }
  // bytea arrives in hex form (\x4142...).
  std::string blob(int col) const override {
    const char* v = PQgetvalue(result_, row_, col);
    const size_t n = static_cast<size_t>(PQgetlength(result_, row_, col));
    if (n < 2 || v[0] != '\\' || v[1] != 'x') return std::string(v, n);
    std::string out((n - 2) / 2, '\0');
    for (size_t i = 0; i < out.size(); ++i) {
      out[i] = static_cast<char>(hex_value(v[2 + 2 * i]) << 4 | hex_value(v[3 + 2 * i]));
    }
    return out;
  }
  bool is_null(int col) const override { return PQgetisnull(result_, row_, col) != 0; }

 private:
  bool in_range(int i) const { return i >= 1 && i <= parameters_; }
  void set(int i, const char* value, int length, int format) {
    values_[i - 1] = value;
    lengths_[i - 1] = length;
    formats_[i - 1] = format;
  }

  // Prepared once per session, outside the pipeline (PQprepare waits for its answer; a failure
  // here is a statement the server refuses, known at once).
  Status prepare() {
    if (prepared_in_ == c_.session_) return {};
    const bool pipelined = c_.pipelined_;
    if (pipelined) {
      if (auto s = c_.leave_pipeline(); !s) return s;
    }
    PGconn* conn = c_.conn_;
    PGresult* p = PQprepare(conn, name_.c_str(), sql_.c_str(), 0, nullptr);
    const bool ok = p && PQresultStatus(p) == PGRES_COMMAND_OK;
    Error e = ok ? Error{} : postgres_error(conn, p, c_.shown_);
    PQclear(p);
    if (ok) prepared_in_ = c_.session_;
    if (pipelined) {
      if (auto s = c_.enter_pipeline(); !s) return s;
    }
    if (!ok) return fail(e);
    return {};
  }

  // In the pipeline: this query, then a sync, then the answers of what was sent before it, this
  // query's, and the sync's, all in one round trip.
  Status run_pipelined() {
    PGconn* conn = c_.conn_;
    if (!PQsendQueryPrepared(conn, name_.c_str(), parameters_, values_.data(), lengths_.data(),
                             formats_.data(), 0) ||
        PQpipelineSync(conn) != 1) {
      return fail(postgres_error(conn, nullptr, c_.shown_));
    }
    Status earlier = c_.collect_pending();
    result_ = PQgetResult(conn);
    for (PGresult* extra = PQgetResult(conn); extra; extra = PQgetResult(conn)) PQclear(extra);
    PGresult* sync = PQgetResult(conn);  // PGRES_PIPELINE_SYNC
    PQclear(sync);
    if (!earlier) return earlier;
    return take_result();
  }

  // The rows of result_, or the failure it reports.
  Status take_result() {
    const ExecStatusType status = result_ ? PQresultStatus(result_) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      return fail(postgres_error(c_.conn_, result_, c_.shown_));
    }
    rows_ = PQntuples(result_);
    row_ = -1;
    return {};
  }

  Status run() {
    PGconn* conn = c_.conn_;
    if (auto s = prepare(); !s) return s;
    if (c_.pipelined_) return run_pipelined();
    result_ = PQexecPrepared(conn, name_.c_str(), parameters_, values_.data(), lengths_.data(),
                             formats_.data(), 0);
    return take_result();
  }

  PgConnection& c_;
  const std::string name_;
  int parameters_ = 0;
  const std::string sql_;
  int prepared_in_ = 0;            // the session it was prepared in (0: not yet)
  std::vector<std::string> text_;  // integers and text in the form libpq sends
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
};

PgConnection::PgConnection(PGconn* conn, std::string conninfo, std::string shown)
    : conn_(conn), conninfo_(std::move(conninfo)), shown_(std::move(shown)) {}

PgConnection::~PgConnection() {
  cache_.clear();
  PQfinish(conn_);
}

Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& conninfo,
                                                         const std::string& shown) {
  auto conn = connect_postgres(conninfo, shown);
  if (!conn) return fail(conn.error());
  return std::unique_ptr<PgConnection>(new PgConnection(*conn, conninfo, shown));
}

Result<sql::Statement*> PgConnection::statement(std::string_view sql) {
  if (!in_transaction_ && on_lost_ && !connected()) {
    if (auto s = on_lost_(); !s) return fail(s.error());
  }
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    auto st = std::make_unique<PreparedStatement>(*this, "kz" + std::to_string(++next_name_), sql);
    it = cache_.emplace(std::string(sql), std::move(st)).first;
  } else {
    it->second->reset();
  }
  return it->second.get();
}

Status PgConnection::exec_script(const std::string& sql) {
  PGresult* r = PQexec(conn_, sql.c_str());
  const ExecStatusType status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    Error e = postgres_error(conn_, r, shown_);
    PQclear(r);
    return fail(e);
  }
  PQclear(r);
  return {};
}

bool PgConnection::wait_for_notification(std::chrono::milliseconds at_most) {
  auto drain = [this] {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  };
  if (PQconsumeInput(conn_) && drain()) return true;
  pollfd p{PQsocket(conn_), POLLIN, 0};
  if (p.fd < 0) {
    std::this_thread::sleep_for(at_most);
    return false;
  }
  if (::poll(&p, 1, static_cast<int>(at_most.count())) <= 0) return false;
  return PQconsumeInput(conn_) && drain();
}

Status PgConnection::collect_pending() {
  Status first;
  for (; pending_ > 0; --pending_) {
    for (PGresult* r = PQgetResult(conn_); r; r = PQgetResult(conn_)) {
      const ExecStatusType st = PQresultStatus(r);
      if (first && st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
          st != PGRES_PIPELINE_ABORTED) {
        first = fail(postgres_error(conn_, r, shown_));
      }
      PQclear(r);
    }
  }
  if (first && PQstatus(conn_) == CONNECTION_BAD)
    first = fail(postgres_error(conn_, nullptr, shown_));
  return first;
}

Status PgConnection::enter_pipeline() {
  if (pipelined_) return {};
  if (PQenterPipelineMode(conn_) != 1) return fail(postgres_error(conn_, nullptr, shown_));
  pipelined_ = true;
  pending_ = 0;
  return {};
}

Status PgConnection::sync_pending() {
  if (PQpipelineSync(conn_) != 1) {
    pending_ = 0;
    return fail(postgres_error(conn_, nullptr, shown_));
  }
  Status s = collect_pending();
  PQclear(PQgetResult(conn_));  // PGRES_PIPELINE_SYNC
  return s;
}

Status PgConnection::leave_pipeline() {
  if (!pipelined_) return {};
  Status s = pending_ > 0 ? sync_pending() : Status{};
  pending_ = 0;
  pipelined_ = false;
  if (PQexitPipelineMode(conn_) != 1 && s) s = fail(postgres_error(conn_, nullptr, shown_));
  return s;
}

bool PgConnection::connected() const { return PQstatus(conn_) == CONNECTION_OK; }

Status PgConnection::reconnect() {
  auto conn = connect_postgres(conninfo_, shown_);
  if (!conn) return fail(conn.error());
  PQfinish(conn_);
  conn_ = *conn;
  ++session_;
  pipelined_ = false;
  pending_ = 0;
  return {};
}

}  // namespace kz::store
