// Messages as received: their raw bytes (content-addressed), what parsing made of them, the
// indicators triage found in them, and the ones set aside as unreadable (quarantine).
//
// Errors, for every method: kUnavailable when the database cannot be reached or written (busy,
// disk full, permissions), kCorruption for a damaged file, kInternal for a refused statement (a
// bug). Methods name further errors of their own. Thread-safety: as the Database it comes from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/spill_file.h"
#include "core/taxonomy.h"
#include "store/common.h"
#include "store/states.h"

namespace kz::store {

// The raw bytes of one message: `head` in memory, then, for a message too large to hold in
// memory, `more` on disk (intake::ReadOptions::max_memory_bytes).
struct RawBytes {
  RawBytes(std::string_view h, const SpillFile* m = nullptr) : head(h), more(m) {}
  RawBytes(const std::string& h) : head(h) {}
  RawBytes(const char* h) : head(h) {}
  std::string_view head;
  const SpillFile* more = nullptr;
  uint64_t size() const { return head.size() + (more ? more->size() : 0); }
};

struct MessageRecord {
  std::string sha256;  // of the raw bytes as received
  std::string channel = "email";
  std::string source;
  Time received_at{};
  Time ingested_at{};
  std::string sender;
  std::string subject;
  std::string message_id;
  std::vector<std::string> refs;  // In-Reply-To and References, without angle brackets
  Purpose purpose = Purpose::kIncident;
  ParseStatus parse_status = ParseStatus::kOk;
  std::string parse_error;
  std::string format = "none";
  std::string signature = "none";
  std::string signer;
  int encrypted = 0;
  bool csam = false;
  std::string tlp;
  // The message's own date (the centre's Received:, the mbox "From " line, else Date:); nullopt
  // when it had none and received_at is the time of ingest.
  std::optional<Time> dated_at;
  // Why a machine sent it (Auto-Submitted, bulk or list mail, X-ARF, ARF, a bounce): its sender
  // gets no mail from the centre. Empty when a person wrote it.
  std::string automatic;
};

// A message set aside as unreadable (parse_status quarantined), for `kizuna quarantine`.
struct QuarantinedMessage {
  Id id = 0;
  std::string sha256;
  std::string channel;
  std::string source;
  std::string reason;  // parse_error
  int64_t size = 0;    // bytes received
  Time received_at{};
  Time ingested_at{};
};

struct IndicatorRecord {
  std::string kind;  // ip | cidr | url | domain | email | md5 | sha1 | sha256
  std::string value;
  std::string role;  // reported | victim | mentioned
  std::string source;
};

// A search over the messages' text (MessageStore::search_messages).
struct MessageSearch {
  // What to find, as core/text.h's fold_for_search gives it; a substring of a message's subject,
  // sender or text. Not empty.
  std::string text;
  // A text of fewer than 3 characters cannot use the trigram index: only the newest this many
  // messages are read for it (the answer says so).
  int64_t short_scan = 20000;
  Id before = 0;  // 0: from the newest message; else only messages numbered below it
  int limit = 50;
  // As ReportFilter's: leave out the messages of TLP:RED reports but the viewer's own, and the
  // messages under no report that arrived marked RED (blank_is_red: or unmarked).
  bool hide_red = false;
  bool blank_is_red = false;
  Id viewer = 0;
};

struct MessageHit {
  Id message = 0;
  std::optional<Id> report;  // the report it is filed under, if any
  std::string subject;
  std::string sender;
  std::string channel;
  Time received_at{};
};

struct MessageSearchResult {
  std::vector<MessageHit> hits;  // the newest first, at most `limit`
  bool more = false;             // more hits lie beyond the last one (ask again with `before`)
  // Set for a short text: only messages numbered above this one were read.
  std::optional<Id> scanned_above;
};

class MessageStore {
 public:
  virtual ~MessageStore() = default;

  // The message stored with these bytes (by their SHA-256), if any.
  virtual Result<std::optional<Id>> find_message(const std::string& sha256) = 0;
  // Stores one message: its raw bytes (content-addressed by m.sha256; a CSAM report's bytes
  // arrive already stripped of evidence payloads), what parsing and triage made of it, and the
  // Message-IDs it refers to. The size stored is raw.size(). Fails when these bytes are already
  // stored, or when the spill file cannot be read (kIo).
  virtual Result<Id> add_message(const MessageRecord& m, const RawBytes& raw) = 0;
  // A stored message's purpose, once merging has decided it (a reply, a follow-up in a thread).
  virtual Status set_message_purpose(Id id, Purpose purpose) = 0;
  virtual Status add_indicators(Id message, const std::vector<IndicatorRecord>& list) = 0;
  // The indicators stored for a message, in no particular order.
  virtual Result<std::vector<IndicatorRecord>> indicators_of(Id message) = 0;
  // The bytes of a stored message as received (all of them, in memory). kNotFound: no such
  // message.
  virtual Result<std::string> message_raw(Id message) = 0;
  // The TLP marking a message arrived with ('' none). kNotFound: no such message.
  virtual Result<std::string> message_marking(Id message) = 0;

  // Stores a filed message's searchable text (see MessageSearch; the caller folds and cuts it).
  // Fails when the message has text already.
  virtual Status add_message_text(Id message, std::string_view text) = 0;
  // Filed messages (not quarantined, not CSAM) numbered above `after` that have no search text:
  // those stored before search existed (migration 020). The oldest first, at most `limit`.
  virtual Result<std::vector<Id>> messages_without_text(Id after, int limit) = 0;
  // The highest message number, 0 when there is none.
  virtual Result<Id> newest_message() = 0;
  // The search text of such a message, put in the index at once when the index is past it
  // (index_search only takes the rows past its mark).
  virtual Status add_late_message_text(Id message, std::string_view text) = 0;
  // Brings the search index up to the text stored so far, at most `max_rows` messages at a time;
  // returns how many it indexed (0: up to date). Intake does not index (it would cost about as
  // much as filing); the worker runs this. Searching never depends on it: rows not indexed yet
  // are scanned.
  virtual Result<int> index_search(int max_rows) = 0;
  // The messages whose text holds `q.text`, the newest first. kInvalidArgument for an empty text.
  virtual Result<MessageSearchResult> search_messages(const MessageSearch& q) = 0;

  // The quarantined messages, the last stored first, at most `limit`.
  virtual Result<std::vector<QuarantinedMessage>> quarantined_messages(int limit) = 0;
  // One quarantined message; kNotFound when there is no message with this number or it is not
  // quarantined.
  virtual Result<QuarantinedMessage> quarantined_message(Id id) = 0;
  // Deletes a quarantined message's row and raw bytes (its events stay), so that the same bytes
  // can be filed again under a new number in the same transaction (`quarantine retry`).
  // kNotFound as above.
  virtual Status remove_quarantined(Id id) = 0;
};

}  // namespace kz::store
