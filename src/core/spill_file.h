// SpillFile: bytes written once, in order, and read back later, kept in an unlinked temporary
// file instead of memory. Intake puts there the part of an oversized input beyond what it holds
// in memory, so that no message has to fit in memory to be stored (intake/mailbox.h,
// store::MessageStore::add_message).
//
// The file has no name from the start (O_TMPFILE, else mkstemp and unlink at once): nothing is
// left on disk however the process ends. Not thread-safe while written; once written, read_at
// may be called from any thread (pread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kz {

class SpillFile {
 public:
  // A new empty file in `dir` (empty: $TMPDIR, else /tmp). Errors: kIo with the reason.
  static Result<std::unique_ptr<SpillFile>> create(const std::string& dir);
  ~SpillFile();
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends `data`. Errors: kIo (disk full, ...).
  Status append(std::string_view data);
  uint64_t size() const { return size_; }

  // Copies up to `n` bytes from `offset` into `out`; returns how many (0 at the end).
  Result<size_t> read_at(uint64_t offset, char* out, size_t n) const;

  // Calls `piece` with the whole content in order, in pieces of at most `chunk` bytes, until it
  // returns a failed Status (returned) or the end.
  Status for_each_piece(size_t chunk, const std::function<Status(std::string_view)>& piece) const;

 private:
  explicit SpillFile(int fd) : fd_(fd) {}
  int fd_;
  uint64_t size_ = 0;
};

}  // namespace kz
