#include "store/copy.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "store/sql/sql_database.h"

namespace kz::store {

namespace {

// Rows written to the target per transaction: big enough that a commit's flush is a small share
// of the copy, small enough that an interrupted copy loses little.
constexpr int64_t kCopyBatchRows = 1000;

enum class ColumnKind { kInteger, kText, kBytes };

struct Table {
  std::string name;
  std::vector<std::string> columns;
  std::vector<ColumnKind> kinds;
  std::vector<std::string> key;  // primary key columns, in key order
  bool has_identity = false;     // an id the server numbers (its sequence is set after the copy)
};

std::string joined(const std::vector<std::string>& names, const std::string& sep = ",") {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : sep) + n;
  return out;
}

sql::Connection& connection_of(Database& db) {
  return dynamic_cast<sql::SqlDatabase&>(db).connection();
}

// Tables derived from others that each back end builds its own way: the search index (decision
// 038). They are not copied; the target's worker fills its index again from message_text.
bool derived_table(const std::string& name) {
  return name == "message_search" || name == "message_search_done";
}

// The target's tables with their columns and keys (PostgreSQL's catalogue), parents before the
// tables whose foreign keys name them; the derived ones left out.
Result<std::vector<Table>> tables_of(sql::Connection& c) {
  auto names = c.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema='public' AND "
      "table_type='BASE TABLE' AND table_name<>'schema_version' ORDER BY table_name",
      [](const sql::Row& r) { return r.text(0); });
  if (!names) return fail(names.error());
  std::map<std::string, std::set<std::string>> parents;
  auto fks = c.for_each(
      "SELECT CAST(conrelid AS regclass)::text, CAST(confrelid AS regclass)::text FROM "
      "pg_constraint "
      "WHERE contype='f'",
      [&](const sql::Row& r) {
        if (r.text(0) != r.text(1)) parents[r.text(0)].insert(r.text(1));
      });
  if (!fks) return fail(fks.error());
  std::vector<std::string> ordered;
  std::set<std::string> placed;
  while (ordered.size() < names->size()) {
    bool progressed = false;
    for (const auto& n : *names) {
      if (placed.count(n)) continue;
      const auto& p = parents[n];
      if (std::all_of(p.begin(), p.end(), [&](const std::string& x) { return placed.count(x); })) {
        ordered.push_back(n);
        placed.insert(n);
        progressed = true;
      }
    }
    if (!progressed) return fail(Error::Internal("the tables' foreign keys form a cycle", "copy"));
  }
  std::vector<Table> out;
  for (const auto& n : ordered) {
    if (derived_table(n)) continue;
    Table t;
    t.name = n;
    auto cols = c.for_each(
        "SELECT column_name, data_type, is_identity FROM information_schema.columns WHERE "
        "table_schema='public' AND table_name=?1 ORDER BY ordinal_position",
        [&](const sql::Row& r) {
          t.columns.push_back(r.text(0));
          const std::string type = r.text(1);
          t.kinds.push_back(type == "bytea" ? ColumnKind::kBytes
                            : (type == "bigint" || type == "integer" || type == "smallint")
                                ? ColumnKind::kInteger
                                : ColumnKind::kText);
          if (r.text(2) == "YES") t.has_identity = true;
        },
        n);
    if (!cols) return fail(cols.error());
    auto key = c.query(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid=i.indrelid AND "
        "a.attnum=ANY(i.indkey) WHERE i.indrelid=CAST(?1 AS regclass) AND i.indisprimary "
        "ORDER BY array_position(CAST(i.indkey AS int2[]), a.attnum)",
        [](const sql::Row& r) { return r.text(0); }, n);
    if (!key) return fail(key.error());
    t.key = std::move(*key);
    out.push_back(std::move(t));
  }
  return out;
}

Result<int64_t> count_rows(sql::Connection& c, const std::string& table) {
  auto n = c.query_int("SELECT COUNT(*) FROM " + table);
  if (!n) return fail(n.error());
  return n->value_or(0);
}

// The key column a resumed copy starts from: the first key column when it is an integer.
std::optional<std::string> resume_column(const Table& t) {
  if (t.key.empty()) return std::nullopt;
  const auto at = std::find(t.columns.begin(), t.columns.end(), t.key.front());
  if (at == t.columns.end() || t.kinds[at - t.columns.begin()] != ColumnKind::kInteger)
    return std::nullopt;
  return t.key.front();
}

class TableCopier {
 public:
  TableCopier(Database& to, const Table& t, const CopyProgress& progress)
      : to_(to), target_(connection_of(to)), t_(t), progress_(progress) {
    std::string params;
    for (size_t i = 1; i <= t.columns.size(); ++i)
      params += (i > 1 ? ",?" : "?") + std::to_string(i);
    insert_ = "INSERT INTO " + t.name + "(" + joined(t.columns) + ") VALUES(" + params +
              ") ON CONFLICT DO NOTHING RETURNING 1";  // a row only when it was inserted
  }

  // Copies every row `select` gives on the source, committing every kCopyBatchRows.
  template <typename... Args>
  Result<int64_t> copy(sql::Connection& source, const std::string& select, const Args&... args) {
    Status failed;
    auto s = source.for_each(
        select,
        [&](const sql::Row& r) {
          if (failed) failed = write(r);
        },
        args...);
    if (!s) return fail(s.error());
    if (!failed) return fail(failed.error());
    if (pending_ > 0) {
      if (auto c = to_.commit(); !c) return fail(c.error());
      pending_ = 0;
    }
    return copied_;
  }

  void abandon() {
    if (pending_ > 0) to_.rollback();
    pending_ = 0;
  }

 private:
  Status write(const sql::Row& r) {
    if (pending_ == 0) {
      if (auto s = to_.begin(); !s) return s;
    }
    auto st = target_.statement(insert_);
    if (!st) return fail(st.error());
    bytes_.clear();
    bytes_.reserve(t_.columns.size());  // bound without a copy: no reallocation below
    for (size_t i = 0; i < t_.columns.size(); ++i) {
      const int col = static_cast<int>(i);
      if (r.is_null(col)) {
        (*st)->bind_null(col + 1);
      } else if (t_.kinds[i] == ColumnKind::kInteger) {
        (*st)->bind_int(col + 1, r.int64(col));
      } else if (t_.kinds[i] == ColumnKind::kBytes) {
        bytes_.push_back(r.blob(col));
        (*st)->bind_blob(col + 1, bytes_.back());
      } else {
        (*st)->bind_text(col + 1, r.text(col));
      }
    }
    auto inserted = (*st)->step();
    if (!inserted) return fail(inserted.error());
    (*st)->reset();
    if (*inserted) ++copied_;
    if (++pending_ >= kCopyBatchRows) {
      pending_ = 0;
      if (auto c = to_.commit(); !c) return c;
      if (progress_) progress_(t_.name, copied_);
    }
    return {};
  }

  Database& to_;
  sql::Connection& target_;
  const Table& t_;
  const CopyProgress& progress_;
  std::string insert_;
  std::vector<std::string> bytes_;
  int64_t copied_ = 0;   // rows inserted (a row already there is skipped)
  int64_t pending_ = 0;  // rows written in the open target transaction
};

Result<int64_t> copy_table(Database& from, Database& to, const Table& t,
                           const CopyProgress& progress) {
  sql::Connection& source = connection_of(from);
  sql::Connection& target = connection_of(to);
  const std::string columns = joined(t.columns);
  TableCopier copier(to, t, progress);
  Result<int64_t> copied = 0;
  if (const auto key = resume_column(t)) {
    // Resumes at the highest key already there; the rows of that key already copied are skipped.
    auto from_key = target.query_int("SELECT MAX(" + *key + ") FROM " + t.name);
    if (!from_key) return fail(from_key.error());
    copied = copier.copy(source,
                         "SELECT " + columns + " FROM " + t.name +
                             " WHERE CAST(?1 AS BIGINT) IS "
                             "NULL OR " +
                             *key + ">=?1 ORDER BY " + joined(t.key),
                         *from_key);
  } else {
    auto in_source = count_rows(source, t.name);
    auto in_target = count_rows(target, t.name);
    if (!in_source) return fail(in_source.error());
    if (!in_target) return fail(in_target.error());
    if (*in_source == *in_target) return 0;
    // A small table without an integer key, copied again whole in one transaction.
    if (auto s = to.begin(); !s) return fail(s.error());
    if (auto s = target.exec("DELETE FROM " + t.name); !s) {
      to.rollback();
      return fail(s.error());
    }
    copied = copier.copy(source, "SELECT " + columns + " FROM " + t.name);
    if (copied) {
      if (auto s = to.commit(); !s) return fail(s.error());
    } else {
      to.rollback();
    }
  }
  if (!copied) copier.abandon();
  return copied;
}

// Sets each identity column's sequence past the highest id copied, so new rows do not collide.
Status advance_sequences(sql::Connection& target, const std::vector<Table>& tables) {
  for (const auto& t : tables) {
    if (!t.has_identity) continue;
    if (auto s = target.exec("SELECT setval(pg_get_serial_sequence('" + t.name +
                             "','id'), COALESCE((SELECT MAX(id) FROM " + t.name + "),0)+1, false)");
        !s) {
      return s;
    }
  }
  return {};
}

// Every raw message of the source, compared with the target's byte for byte.
Result<int64_t> compare_raw(Database& from, Database& to) {
  auto ids = connection_of(from).query("SELECT id FROM messages ORDER BY id",
                                       [](const sql::Row& r) { return r.int64(0); });
  if (!ids) return fail(ids.error());
  for (Id id : *ids) {
    auto a = from.messages().message_raw(id);
    if (!a) return fail(a.error());
    auto b = to.messages().message_raw(id);
    if (!b) return fail(b.error());
    if (*a != *b) {
      return fail(Error::Corruption(
          "message " + std::to_string(id) + " differs in the target after the copy", "copy"));
    }
  }
  return static_cast<int64_t>(ids->size());
}

}  // namespace

Result<CopyReport> copy_database(Database& from, Database& to, const CopyProgress& progress) {
  if (to.back_end() != "postgresql")
    return fail(
        Error::InvalidArgument("db copy writes to PostgreSQL: give --to postgresql://... (an "
                               "SQLite copy is `db backup`)"));
  sql::Connection& target = connection_of(to);
  auto tables = tables_of(target);
  if (!tables) return fail(tables.error());
  // One consistent state of the source, and no writer there meanwhile.
  if (auto s = from.begin(); !s) return fail(s.error());
  CopyReport report;
  auto run = [&]() -> Status {
    for (const auto& t : *tables) {
      auto copied = copy_table(from, to, t, progress);
      if (!copied) return fail(copied.error());
      report.tables.push_back({t.name, *copied, 0, 0});
      if (progress) progress(t.name, *copied);
    }
    if (auto s = advance_sequences(target, *tables); !s) return s;
    for (auto& t : report.tables) {
      auto a = count_rows(connection_of(from), t.table);
      auto b = count_rows(target, t.table);
      if (!a) return fail(a.error());
      if (!b) return fail(b.error());
      t.source = *a;
      t.target = *b;
      if (*a != *b) {
        return fail(Error::Corruption("table " + t.table + " has " + std::to_string(*a) +
                                          " rows in the source and " + std::to_string(*b) +
                                          " in the target: the target held other data; copy "
                                          "to an empty database",
                                      "copy"));
      }
    }
    auto raw = compare_raw(from, to);
    if (!raw) return fail(raw.error());
    report.raw_compared = *raw;
    return {};
  };
  const Status s = run();
  from.rollback();  // only read
  if (!s) return fail(s.error());
  return report;
}

}  // namespace kz::store
