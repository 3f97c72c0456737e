// MessageStore over the SQL layer.
#include "store/messages.h"

#include <algorithm>

#include "core/text.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"
#include "store/sql/rows.h"

namespace kz::store::sql {

namespace {

// Raw bytes are stored in rows of at most this size: the first in message_raw, the rest in
// message_raw_more. A driver may copy a bound value whole (libpq builds each request in a send
// buffer that keeps its largest size, and reads bytea back as hex, twice the size), so the row
// size bounds the memory a large message costs beyond its own bytes: with 16 MiB rows a 300 MB
// mbox took PostgreSQL's intake over a 512 MiB address-space limit (tests/hostile), with 1 MiB it
// stays level. Almost every message fits one row; a 100 MB one is 100 statements.
constexpr size_t kRawChunkBytes = size_t{1} << 20;

constexpr const char* kQuarantinedSelect =
    "SELECT id,sha256,channel,source,parse_error,size,received_at,ingested_at FROM messages ";

// A search: the candidate messages (`candidates`, a SELECT of one column, message, that may use
// ?7), each checked for the text itself, the newest first, and the caller's view of TLP:RED
// applied as the report list does. Parameters: ?1 the folded text, ?2 before (0: none), ?3 the
// limit, ?4 hide_red, ?5 blank_is_red, ?6 viewer.
std::string search_sql(const std::string& candidates, Dialect d) {
  const std::string contains =
      d == Dialect::kSqlite ? "instr(t.text, ?1) > 0" : "strpos(t.text, ?1) > 0";
  return "SELECT m.id, r.id, m.subject, m.sender, m.channel, m.received_at FROM (" + candidates +
         ") c JOIN message_text t ON t.message=c.message JOIN messages m ON m.id=c.message"
         " LEFT JOIN report_messages rm ON rm.message=m.id LEFT JOIN reports r ON r.id=rm.report"
         " WHERE " +
         contains + " AND (?4=0 OR (r.id IS NULL AND " + marking_not_red("m.tlp", 5) +
         ") OR (r.id IS NOT NULL AND (r.assignee=?6 OR " + marking_not_red("r.tlp", 5) +
         "))) ORDER BY m.id DESC LIMIT ?3";
}

// The candidates of a text of 3 characters or more, through the trigram index (?7 is the
// pattern: a GLOB pattern for SQLite's FTS5, a LIKE pattern for pg_trgm). The index holds the rows
// up to message_search_done.upto; the rows past it are scanned.
std::string indexed_candidates(Dialect d) {
  const std::string rest =
      " UNION ALL SELECT message FROM message_text WHERE message>(SELECT upto FROM "
      "message_search_done) AND (?2=0 OR message<?2)";
  if (d == Dialect::kSqlite) {
    // The bound on rowid matters: a pattern without three literal characters in a row makes FTS5
    // read its content table, where the rows past `upto` are too.
    return "SELECT rowid AS message FROM message_search WHERE text GLOB ?7 AND (?2=0 OR rowid<?2)"
           " AND rowid<=(SELECT upto FROM message_search_done)" +
           rest;
  }
  return "SELECT message FROM message_search WHERE text LIKE ?7 AND (?2=0 OR message<?2)" + rest;
}

// The candidates of a shorter text: the messages numbered above ?7, all read.
constexpr const char* kRecentCandidates =
    "SELECT message FROM message_text WHERE message>?7 AND (?2=0 OR message<?2)";

// `text` as a pattern that matches it anywhere, every character taken literally.
std::string substring_pattern(const std::string& text, Dialect d) {
  std::string p = d == Dialect::kSqlite ? "*" : "%";
  for (char ch : text) {
    if (d == Dialect::kSqlite && (ch == '*' || ch == '?' || ch == '[')) {
      p += '[';
      p += ch;
      p += ']';
    } else if (d == Dialect::kPostgres && (ch == '%' || ch == '_' || ch == '\\')) {
      p += '\\';
      p += ch;
    } else {
      p += ch;
    }
  }
  p += d == Dialect::kSqlite ? "*" : "%";
  return p;
}

MessageHit read_hit(const Row& r) {
  MessageHit h;
  h.message = r.int64(0);
  if (!r.is_null(1)) h.report = r.int64(1);
  h.subject = r.text(2);
  h.sender = r.text(3);
  h.channel = r.text(4);
  h.received_at = r.time(5);
  return h;
}

QuarantinedMessage read_quarantined(const Row& r) {
  return {r.int64(0), r.text(1), r.text(2), r.text(3), r.text(4), r.int64(5), r.time(6), r.time(7)};
}

class SqlMessageStore final : public MessageStore {
 public:
  explicit SqlMessageStore(Connection& c) : c_(c) {}

  Result<std::optional<Id>> find_message(const std::string& sha256) override {
    return c_.query_int("SELECT id FROM messages WHERE sha256=?1", sha256);
  }

  Result<Id> add_message(const MessageRecord& m, const RawBytes& raw) override {
    auto id = c_.insert_returning_id(
        "INSERT INTO messages(sha256,size,channel,source,received_at,ingested_at,sender,subject,"
        "message_id,purpose,parse_status,parse_error,format,signature,signer,encrypted,csam,tlp,"
        "dated_at,automatic) "
        "VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20) "
        "RETURNING id",
        m.sha256, static_cast<int64_t>(raw.size()), m.channel, m.source, m.received_at,
        m.ingested_at, m.sender, m.subject, m.message_id, to_string(m.purpose), m.parse_status,
        m.parse_error, m.format, m.signature, m.signer, int64_t{m.encrypted}, m.csam, m.tlp,
        m.dated_at, m.automatic);
    if (!id) return fail(id.error());
    const std::string_view first = raw.head.substr(0, kRawChunkBytes);
    if (auto r = c_.exec("INSERT INTO message_raw(message,raw) VALUES(?1,?2)", *id, Blob{first});
        !r)
      return fail(r.error());
    int64_t seq = 0;
    auto store_more = [&](std::string_view piece) -> Status {
      return c_.exec("INSERT INTO message_raw_more(message,seq,bytes) VALUES(?1,?2,?3)", *id, ++seq,
                     Blob{piece});
    };
    for (size_t at = first.size(); at < raw.head.size(); at += kRawChunkBytes) {
      if (auto r = store_more(raw.head.substr(at, kRawChunkBytes)); !r) return fail(r.error());
    }
    if (raw.more) {
      if (auto r = raw.more->for_each_piece(kRawChunkBytes, store_more); !r) return fail(r.error());
    }
    for (const auto& ref : m.refs) {
      if (auto r = c_.exec("INSERT INTO message_refs(message,ref) VALUES(?1,?2)", *id, ref); !r)
        return fail(r.error());
    }
    return *id;
  }

  Status set_message_purpose(Id id, Purpose purpose) override {
    return c_.exec("UPDATE messages SET purpose=?2 WHERE id=?1", id, to_string(purpose));
  }

  Status add_indicators(Id message, const std::vector<IndicatorRecord>& list) override {
    // One row per statement. A multi-row INSERT looked cheaper but measured slower: a statement
    // writing several rows into a table with a foreign key keeps a statement journal (a copy of
    // every 16 KiB page it touches, in case it must undo itself half-way).
    for (const IndicatorRecord& i : list) {
      if (auto r = c_.exec(
              "INSERT INTO indicators(message,kind,value,role,source) VALUES(?1,?2,?3,?4,?5)",
              message, i.kind, i.value, i.role, i.source);
          !r)
        return r;
    }
    return {};
  }

  Result<std::vector<IndicatorRecord>> indicators_of(Id message) override {
    return c_.query(
        "SELECT kind,value,role,source FROM indicators WHERE message=?1",
        [](const Row& r) {
          return IndicatorRecord{r.text(0), r.text(1), r.text(2), r.text(3)};
        },
        message);
  }

  Result<std::string> message_marking(Id message) override {
    auto tlp = c_.query_one(
        "SELECT tlp FROM messages WHERE id=?1", [](const Row& r) { return r.text(0); }, message);
    if (!tlp) return fail(tlp.error());
    if (!*tlp)
      return fail(
          Error::NotFound("no message with this number", "message " + std::to_string(message)));
    return std::move(**tlp);
  }

  Result<std::string> message_raw(Id message) override {
    auto head = c_.query_one(
        "SELECT raw FROM message_raw WHERE message=?1", [](const Row& r) { return r.blob(0); },
        message);
    if (!head) return fail(head.error());
    if (!*head)
      return fail(
          Error::NotFound("no message with this number", "message " + std::to_string(message)));
    std::string raw = std::move(**head);
    auto more = c_.for_each(
        "SELECT bytes FROM message_raw_more WHERE message=?1 ORDER BY seq",
        [&raw](const Row& r) { raw += r.blob(0); }, message);
    if (!more) return fail(more.error());
    return raw;
  }

  Status add_message_text(Id message, std::string_view text) override {
    return c_.exec("INSERT INTO message_text(message,text) VALUES(?1,?2)", message, text);
  }

  Result<std::vector<Id>> messages_without_text(Id after, int limit) override {
    return c_.query(
        "SELECT id FROM messages m WHERE id>?1 AND parse_status<>'quarantined' AND csam=0 AND NOT "
        "EXISTS (SELECT 1 FROM message_text t WHERE t.message=m.id) ORDER BY id LIMIT ?2",
        [](const Row& r) { return r.int64(0); }, after, int64_t{limit});
  }

  Result<Id> newest_message() override {
    auto newest = c_.query_int("SELECT MAX(id) FROM messages");
    if (!newest) return fail(newest.error());
    return newest->value_or(0);
  }

  Status add_late_message_text(Id message, std::string_view text) override {
    if (auto s = add_message_text(message, text); !s) return s;
    static const std::string tail =
        " SELECT ?1,?2 WHERE ?1<=(SELECT upto FROM message_search_done)";
    static const std::string sqlite = "INSERT INTO message_search(rowid,text)" + tail,
                             postgres = "INSERT INTO message_search(message,text)" + tail;
    return c_.exec(c_.dialect() == Dialect::kSqlite ? sqlite : postgres, message, text);
  }

  Result<int> index_search(int max_rows) override {
    auto next = c_.query_one(
        "SELECT COUNT(*), MAX(message) FROM (SELECT message FROM message_text WHERE message>"
        "(SELECT upto FROM message_search_done) ORDER BY message LIMIT ?1) AS next",
        [](const Row& r) { return std::pair<int64_t, int64_t>(r.int64(0), r.int64(1)); },
        int64_t{max_rows});
    if (!next) return fail(next.error());
    const auto [count, upto] = next->value_or(std::pair<int64_t, int64_t>(0, 0));
    if (count == 0) return 0;
    // SQLite's FTS5 table is keyed by its rowid; PostgreSQL's indexed copy by the message.
    static const std::string from =
        " SELECT message,text FROM message_text WHERE message>(SELECT upto FROM "
        "message_search_done) AND message<=?1";
    static const std::string sqlite = "INSERT INTO message_search(rowid,text)" + from,
                             postgres = "INSERT INTO message_search(message,text)" + from;
    if (auto s = c_.exec(c_.dialect() == Dialect::kSqlite ? sqlite : postgres, upto); !s)
      return fail(s.error());
    if (auto s = c_.exec("UPDATE message_search_done SET upto=?1", upto); !s)
      return fail(s.error());
    return static_cast<int>(count);
  }

  Result<MessageSearchResult> search_messages(const MessageSearch& q) override {
    if (q.text.empty())
      return fail(Error::InvalidArgument("say what to search for", "message search"));
    const Dialect d = c_.dialect();
    const int64_t asked = int64_t{q.limit} + 1;  // one more: is there a next page?
    MessageSearchResult out;
    Result<std::vector<MessageHit>> hits = std::vector<MessageHit>{};
    // The trigram index needs 3 characters (code points, not bytes: 詐欺 is two).
    if (utf8_length(q.text) >= 3) {
      static const std::string sqlite = search_sql(indexed_candidates(Dialect::kSqlite),
                                                   Dialect::kSqlite),
                               postgres = search_sql(indexed_candidates(Dialect::kPostgres),
                                                     Dialect::kPostgres);
      hits = c_.query(d == Dialect::kSqlite ? sqlite : postgres, read_hit, q.text, q.before, asked,
                      q.hide_red, q.blank_is_red, q.viewer, substring_pattern(q.text, d));
    } else {
      auto newest = newest_message();
      if (!newest) return fail(newest.error());
      const Id floor = std::max<Id>(0, *newest - q.short_scan);
      if (floor > 0) out.scanned_above = floor;
      static const std::string sqlite = search_sql(kRecentCandidates, Dialect::kSqlite),
                               postgres = search_sql(kRecentCandidates, Dialect::kPostgres);
      hits = c_.query(d == Dialect::kSqlite ? sqlite : postgres, read_hit, q.text, q.before, asked,
                      q.hide_red, q.blank_is_red, q.viewer, floor);
    }
    if (!hits) return fail(hits.error());
    out.hits = std::move(*hits);
    if (out.hits.size() > static_cast<size_t>(q.limit)) {
      out.hits.resize(static_cast<size_t>(q.limit));
      out.more = true;
    }
    return out;
  }

  Result<std::vector<QuarantinedMessage>> quarantined_messages(int limit) override {
    static const std::string sql =
        kQuarantinedSelect +
        std::string("WHERE parse_status='quarantined' ORDER BY id DESC LIMIT ?1");
    return c_.query(sql, read_quarantined, int64_t{limit});
  }

  Result<QuarantinedMessage> quarantined_message(Id id) override {
    static const std::string sql =
        kQuarantinedSelect + std::string("WHERE id=?1 AND parse_status='quarantined'");
    auto m = c_.query_one(sql, read_quarantined, id);
    if (!m) return fail(m.error());
    if (!*m)
      return fail(Error::NotFound("no quarantined message with this number",
                                  "message " + std::to_string(id)));
    return std::move(**m);
  }

  Status remove_quarantined(Id id) override {
    if (auto m = quarantined_message(id); !m) return fail(m.error());
    for (const char* sql :
         {"DELETE FROM message_raw WHERE message=?1",
          "DELETE FROM message_raw_more WHERE message=?1",
          "DELETE FROM message_refs WHERE message=?1", "DELETE FROM indicators WHERE message=?1",
          "DELETE FROM messages WHERE id=?1 AND parse_status='quarantined'"}) {
      if (auto s = c_.exec(sql, id); !s) return s;
    }
    return {};
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<MessageStore> make_message_store(Connection& c) {
  return std::make_unique<SqlMessageStore>(c);
}

}  // namespace kz::store::sql
