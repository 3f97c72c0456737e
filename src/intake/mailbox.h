// Where messages come from on disk: single .eml files, mbox files, Maildir folders, bare .json
// (X-ARF or form) files and directories of these. The splitter is pure (bytes in, messages
// out); the walker is the thin I/O layer around it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kz::intake {

enum class ItemKind { kEmail, kJson };

struct InputItem {
  std::string source;  // "path" or "path#3" (third message of an mbox)
  std::string bytes;
  ItemKind kind = ItemKind::kEmail;
  std::optional<Time> mbox_time;  // the date of the mbox "From " separator line
};

// Splits an mbox (mboxrd/mboxo: ">From " un-escaped) into messages. A file that does not start
// with "From " is one message.
std::vector<InputItem> split_mbox(std::string_view data, const std::string& source);

// Calls `sink` for every message under `paths` in a stable order (directories sorted by name)
// until it returns false (stop walking). Unreadable paths are reported through `problem` and
// skipped; returns the number of items handed to `sink`.
using ItemSink = std::function<bool(InputItem&&)>;
using ProblemSink = std::function<void(const std::string& source, const std::string& problem)>;
size_t walk_inputs(const std::vector<std::string>& paths, const ItemSink& sink, const ProblemSink& problem);

// Reads a whole file; kIo with the reason.
Result<std::string> read_file(const std::string& path);

}  // namespace kz::intake
