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
#include "intake/item_reader.h"
#include "intake/message.h"

namespace kz::intake {

// Splits an mbox held in memory (MboxSplitter over the whole of `data`). A file that does not
// start with "From " is one message. Errors: kIo when a spill file is needed and cannot be made.
Result<std::vector<InputItem>> split_mbox(std::string_view data, const std::string& source,
                                          const ReadOptions& options = {});

// Calls `sink` for every message under `paths` in a stable order (directories sorted by name)
// until it returns false (stop walking); returns the number of items handed to `sink`.
//
// Files are read as streams (ItemBuilder, MboxSplitter): memory holds one message at a time, at
// most `options.max_memory_bytes` of it, whatever the size of the file.
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
size_t walk_inputs(const std::vector<std::string>& paths, const ItemSink& sink,
                   const ProblemSink& problem, const ReadOptions& options = {});

// Reads a file, at most `max_bytes` of it (`*cut` set when there was more); kIo with the reason.
// Works on pipes and devices too (/dev/stdin, /dev/zero).
Result<std::string> read_file(const std::string& path, size_t max_bytes = SIZE_MAX,
                              bool* cut = nullptr);

}  // namespace kz::intake
