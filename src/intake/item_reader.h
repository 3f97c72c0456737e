// Reading inputs as streams: one message at a time, never a whole file in memory.
//
// ItemBuilder collects one message's bytes as they are read: it hashes them (the SHA-256 content
// address is known when the last byte is read), holds the first `max_memory_bytes` in memory
// and puts the rest in a SpillFile (such a message is too large to parse; it is only stored),
// and keeps nothing past `max_raw_bytes` (the item is then marked cut). MboxSplitter splits an
// mbox fed in pieces of any size into such items, so that a 1 GB mbox costs the memory of its
// largest message, not of the file.
//
// Pure apart from the spill files; not thread-safe (one reader per thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/sha256.h"
#include "core/spill_file.h"
#include "core/time.h"
#include "intake/message.h"

namespace kz::intake {

enum class ItemKind { kEmail, kJson };

struct InputItem {
  InputItem() = default;
  InputItem(std::string source_, std::string bytes_, ItemKind kind_ = ItemKind::kEmail,
            std::optional<Time> mbox_time_ = std::nullopt, bool cut = false)
      : source(std::move(source_)),
        bytes(std::move(bytes_)),
        kind(kind_),
        mbox_time(mbox_time_),
        cut_at_limit(cut) {}

  std::string source;  // "path" or "path#3" (third message of an mbox)
  // The message; only its first bytes when `spill` holds the rest.
  std::string bytes;
  ItemKind kind = ItemKind::kEmail;
  std::optional<Time> mbox_time;  // the date of the mbox "From " separator line
  // The input went on past the limit on bytes read (Limits::max_raw_bytes): only its first
  // bytes are kept. Stored raw and quarantined with that reason.
  bool cut_at_limit = false;
  // The bytes after `bytes`, on disk: the message was larger than ReadOptions::max_memory_bytes.
  std::shared_ptr<const SpillFile> spill;
  // SHA-256 (hex) of all the bytes kept, computed while they were read; empty for an item built
  // in memory (the ingestor computes it then).
  std::string sha256;

  uint64_t size() const { return bytes.size() + (spill ? spill->size() : 0); }
};

// What an input is by its content: JSON (X-ARF or the form) when its first non-blank byte is '{',
// else e-mail. The walk also takes a ".json" name as JSON.
ItemKind kind_of(std::string_view bytes);

struct ReadOptions {
  // Bytes kept of one message ([intake] max_raw_bytes): the rest is read past, not kept.
  uint64_t max_raw_bytes = Limits{}.max_raw_bytes;
  // Bytes of one message held in memory; the rest goes to a spill file. No message larger than
  // the parsers' limits (max_message_bytes, max_json_bytes) is parsed, so memory never needs
  // to hold more.
  size_t max_memory_bytes = Limits{}.max_message_bytes;
  std::string spill_dir;  // where spill files are made (empty: $TMPDIR or /tmp)
};

class ItemBuilder {
 public:
  explicit ItemBuilder(const ReadOptions& options) : options_(options) {}

  // Adds bytes at the end. Errors: kIo when the spill file cannot be written.
  Status append(std::string_view data);
  // max_raw_bytes are kept: what follows is only counted as cut.
  bool full() const { return size_ >= options_.max_raw_bytes; }
  uint64_t size() const { return size_; }
  // Nothing but blanks (spaces, tabs, line breaks) so far.
  bool blank() const { return blank_; }
  // The item, with its hash; the builder starts over.
  InputItem finish(std::string source, ItemKind kind, std::optional<Time> mbox_time);

 private:
  const ReadOptions& options_;
  std::string head_;
  std::shared_ptr<SpillFile> spill_;
  Sha256 hash_;
  uint64_t size_ = 0;
  bool cut_ = false;
  bool blank_ = true;
};

// Splits an mbox (mboxrd/mboxo: ">From " un-escaped) fed in pieces into messages. A separator is
// a line starting with "From " whose rest parses as an mbox date (so "From our logs..." in a
// body does not split); the blank line before it belongs to the mbox, not the message. With
// `is_mbox` false (the input does not start with "From ") everything is one message, kept as it
// is, JSON when `json` or when it starts with '{' (kind_of). Messages of an mbox holding only
// blanks are dropped. An mbox of a single message is named `source`, else each is `source#N`:
// so each message is handed on once the next one has begun.
class MboxSplitter {
 public:
  using Emit = std::function<bool(InputItem&&)>;  // false: stop
  MboxSplitter(std::string source, bool is_mbox, bool json, const ReadOptions& options, Emit emit);

  // Errors: kIo from the spill file. Returns false once `emit` asked to stop.
  Result<bool> feed(std::string_view data);
  // The input ended: hands on what is left.
  Result<bool> end();
  // Not an mbox, and max_raw_bytes are kept: a reader may stop after one more piece (which only
  // tells that the input was cut).
  bool full() const { return !is_mbox_ && builder_.full(); }

 private:
  enum class MidLine { kNo, kContent, kSkip };
  Result<bool> consume(bool at_end);
  // Complete lines from a line start; `partial`: the last line goes on in the next piece.
  Result<bool> lines(std::string_view region, bool partial);
  Status content(std::string_view text);
  Status add(std::string_view text);
  Result<bool> close_message();
  Result<bool> hand_on(InputItem&& item);

  std::string source_;
  bool is_mbox_;
  bool json_;
  Emit emit_;
  ItemBuilder builder_;
  std::string buf_;                  // read, not yet split: at most a partial line
  MidLine mid_line_ = MidLine::kNo;  // buf_ continues a line whose start was handed on already
  bool open_ = false;                // a message has begun
  bool held_newline_ = false;        // a final '\n' held back: it may be the mbox's blank line
  bool last_newline_ = false;        // the last byte given to the builder is '\n'
  std::optional<Time> time_;         // of the open message's separator
  std::optional<InputItem> previous_;
  int count_ = 0;  // separators met
  int kept_ = 0;   // messages handed on or held
  bool stopped_ = false;
};

}  // namespace kz::intake
