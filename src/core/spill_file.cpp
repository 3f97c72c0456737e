#include "core/spill_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace kz {

namespace {

Error io_error(const std::string& what, const std::string& where) {
  return Error::Io(what + ": " + std::strerror(errno), where);
}

}  // namespace

Result<std::unique_ptr<SpillFile>> SpillFile::create(const std::string& dir) {
  std::string where = dir;
  if (where.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    where = tmp && *tmp ? tmp : "/tmp";
  }
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    // Filesystems without O_TMPFILE (some network and overlay ones): a named file, unlinked at
    // once.
    std::string name = where + "/kizuna-spill-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd < 0) return fail(io_error("cannot create a temporary file for a large input", where));
    ::unlink(name.c_str());
  }
  return std::unique_ptr<SpillFile>(new SpillFile(fd));
}

SpillFile::~SpillFile() { ::close(fd_); }

Status SpillFile::append(std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd_, data.data(), data.size(), static_cast<off_t>(size_));
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(io_error("cannot write the temporary file of a large input", "spill file"));
    }
    size_ += static_cast<uint64_t>(n);
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

Result<size_t> SpillFile::read_at(uint64_t offset, char* out, size_t n) const {
  size_t done = 0;
  while (done < n && offset + done < size_) {
    const ssize_t got = ::pread(fd_, out + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(io_error("cannot read the temporary file of a large input", "spill file"));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

Status SpillFile::for_each_piece(size_t chunk,
                                 const std::function<Status(std::string_view)>& piece) const {
  std::vector<char> buf(chunk);
  for (uint64_t at = 0; at < size_;) {
    auto got = read_at(at, buf.data(), buf.size());
    if (!got) return fail(got.error());
    if (*got == 0) break;
    if (auto s = piece(std::string_view(buf.data(), *got)); !s) return s;
    at += *got;
  }
  return {};
}

}  // namespace kz
