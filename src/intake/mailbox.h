// Where messages come from on disk: single .eml files, mbox files, Maildir folders, bare .json
// (X-ARF or form) files and directories of these. The splitter is pure (bytes in, messages
// out); the walker is the thin I/O layer around it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "intake/message.h"

namespace kz::intake {

enum class ItemKind { kEmail, kJson };

struct InputItem {
  std::string source;  // "path" or "path#3" (third message of an mbox)
  std::string bytes;
  ItemKind kind = ItemKind::kEmail;
  std::optional<Time> mbox_time;  // the date of the mbox "From " separator line
  // The input went on past the limit on bytes read (Limits::max_raw_bytes): `bytes` holds only
  // its first bytes. Stored raw and quarantined with that reason.
  bool cut_at_limit = false;
};

// What an input is by its content: JSON (X-ARF or the form) when its first non-blank byte is '{',
// else e-mail. The walk also takes a ".json" name as JSON.
ItemKind kind_of(std::string_view bytes);

// Splits an mbox (mboxrd/mboxo: ">From " un-escaped) into messages. A file that does not start
// with "From " is one message.
std::vector<InputItem> split_mbox(std::string_view data, const std::string& source);

// Calls `sink` for every message under `paths` in a stable order (directories sorted by name)
// until it returns false (stop walking); returns the number of items handed to `sink`.
//
// A path named in `paths` is read whatever it is (a file, a pipe, /dev/stdin). Inside a folder
// the walk stays in the tree it was given: a symbolic link is followed only when its target lies
// inside that tree (a link out of it, to /etc or to a parent, is skipped and reported); every
// directory and file is visited once, by device and inode, so link loops and hard links cost
// nothing; only regular files and directories are read (FIFOs, sockets and devices are skipped
// and reported). Nesting deeper than 32 folders is skipped and reported.
//
// `problem` hears of each path not read: kUnreadable when it could not be read (the user has
// something to fix), kSkipped when the walk chose not to read it.
enum class ProblemKind { kUnreadable, kSkipped };
using ItemSink = std::function<bool(InputItem&&)>;
using ProblemSink =
    std::function<void(const std::string& source, const std::string& problem, ProblemKind kind)>;
// `max_bytes` bounds what is read of one file that is not an mbox (an mbox is split whole).
size_t walk_inputs(const std::vector<std::string>& paths, const ItemSink& sink,
                   const ProblemSink& problem, size_t max_bytes = Limits{}.max_raw_bytes);

// Reads a file, at most `max_bytes` of it (`*cut` set when there was more); kIo with the reason.
// Works on pipes and devices too (/dev/stdin, /dev/zero).
Result<std::string> read_file(const std::string& path, size_t max_bytes = SIZE_MAX,
                              bool* cut = nullptr);

}  // namespace kz::intake
