// MessageStore over the SQL layer.
#include "store/messages.h"
#include "store/sql/connection.h"
#include "store/sql/repositories.h"

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
