#include "intake/mailbox.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/text.h"

namespace kz::intake {

namespace fs = std::filesystem;

// Read size: large enough that system calls do not show in the intake profile, small enough to
// stay in the cache while the splitter scans it.
constexpr size_t kReadChunk = size_t{1} << 20;

namespace {

bool has_suffix(const std::string& name, std::string_view suffix) {
  return name.size() >= suffix.size() &&
         iequals(std::string_view(name).substr(name.size() - suffix.size()), suffix);
}

}  // namespace

Result<std::vector<InputItem>> split_mbox(std::string_view data, const std::string& source,
                                          const ReadOptions& options) {
  std::vector<InputItem> out;
  MboxSplitter splitter(source, data.starts_with("From "), false, options, [&](InputItem&& item) {
    out.push_back(std::move(item));
    return true;
  });
  if (auto r = splitter.feed(data); !r) return fail(r.error());
  if (auto r = splitter.end(); !r) return fail(r.error());
  return out;
}

Result<std::string> read_file(const std::string& path, size_t max_bytes, bool* cut) {
  if (cut) *cut = false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail(
        Error::Io(std::string("cannot open the file for reading: ") + std::strerror(errno), path));
  std::string data;
  struct stat st;
  // Sized once and read straight into the string when the size is known: a stream copy doubled
  // the memory traffic of a 25 MB mbox file, which showed in the intake profile.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    data.reserve(std::min(static_cast<size_t>(st.st_size), max_bytes));
  }
  constexpr size_t kChunk = size_t{1} << 20;
  while (true) {
    const size_t room = max_bytes - data.size();
    if (room == 0) {
      // At the limit: is there more?
      char probe;
      const ssize_t more = ::read(fd, &probe, 1);
      if (more > 0 && cut) *cut = true;
      break;
    }
    const size_t at = data.size();
    const size_t want =
        std::min({kChunk, room, data.capacity() > at ? data.capacity() - at : kChunk});
    data.resize(at + want);
    const ssize_t got = ::read(fd, data.data() + at, want);
    if (got < 0) {
      if (errno == EINTR) {
        data.resize(at);
        continue;
      }
      const int e = errno;
      ::close(fd);
      return fail(Error::Io(std::string("read error: ") + std::strerror(e), path));
    }
    data.resize(at + static_cast<size_t>(got));
    if (got == 0) break;
  }
  ::close(fd);
  return data;
}

namespace {

// One walk: the sinks, how many items were handed over, whether the sink asked to stop, and
// every directory and file already visited (by device and inode).
struct Walk {
  const ItemSink& sink;
  const ProblemSink& problem;
  const ReadOptions& options;
  size_t count = 0;
  bool stopped = false;
  std::set<std::pair<dev_t, ino_t>> seen;

  void emit(InputItem&& item) {
    ++count;
    if (!sink(std::move(item))) stopped = true;
  }
  // True the first time a (device, inode) is met.
  bool first_visit(const struct stat& st) { return seen.emplace(st.st_dev, st.st_ino).second; }
};

// Reads one file as a stream and hands on its messages: an mbox (it starts with "From ") split
// into messages (a Maildir file too, when it starts with its "From " line), anything else as
// one message, up to max_raw_bytes.
void emit_file(const fs::path& p, Walk& w) {
  const std::string path = p.string();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    w.problem(path, std::string("cannot open the file for reading: ") + std::strerror(errno),
              ProblemKind::kUnreadable);
    return;
  }
  std::string chunk(kReadChunk, '\0');
  size_t have = 0;
  std::string error;
  // Enough of the start to tell an mbox (a pipe may hand over fewer bytes at a time).
  while (have < 5 && error.empty()) {
    const ssize_t got = ::read(fd, chunk.data() + have, chunk.size() - have);
    if (got > 0) have += static_cast<size_t>(got);
    if (got == 0) break;
    if (got < 0 && errno != EINTR) error = std::string("read error: ") + std::strerror(errno);
  }
  const bool json = has_suffix(p.filename().string(), ".json");
  // A Maildir message saved with its "From " line (mutt, some MDAs) is the same message as in
  // an mbox: the line is dropped either way, so both store one content address.
  const bool mbox = !json && std::string_view(chunk.data(), have).starts_with("From ");
  MboxSplitter splitter(path, mbox, json, w.options, [&](InputItem&& item) {
    w.emit(std::move(item));
    return !w.stopped;
  });
  Result<bool> going = true;
  bool probed = false;
  while (error.empty() && going && *going && have > 0) {
    going = splitter.feed(std::string_view(chunk.data(), have));
    // At the limit of bytes kept, one more piece says only whether the input was cut
    // (`ingest /dev/zero` ends here).
    if (probed || !going || !*going) break;
    probed = splitter.full();
    ssize_t got;
    do {
      got = ::read(fd, chunk.data(), probed ? 1 : chunk.size());
    } while (got < 0 && errno == EINTR);
    if (got < 0) error = std::string("read error: ") + std::strerror(errno);
    have = got > 0 ? static_cast<size_t>(got) : 0;
  }
  ::close(fd);
  if (going && *going) going = splitter.end();
  if (!going) error = going.error().message;
  // What was read before an error is handed on; the error says the rest was not.
  if (!error.empty()) w.problem(path, error, ProblemKind::kUnreadable);
}

// `real` is inside `root` (both canonical).
bool within(const fs::path& real, const fs::path& root) {
  auto r = root.begin();
  auto p = real.begin();
  for (; r != root.end(); ++r, ++p) {
    if (p == real.end() || *p != *r) return false;
  }
  return true;
}

void walk_dir(const fs::path& dir, const fs::path& root, Walk& w, int depth) {
  if (depth > 32) {
    w.problem(dir.string(), "directory nesting too deep: skipped", ProblemKind::kSkipped);
    return;
  }
  std::error_code ec;
  const bool maildir = fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
  std::vector<fs::path> entries;
  for (const auto& sub :
       maildir ? std::vector<fs::path>{dir / "new", dir / "cur"} : std::vector<fs::path>{dir}) {
    for (fs::directory_iterator it(sub, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;  // hidden files, Maildir temp files
      entries.push_back(it->path());
    }
    if (ec)
      w.problem(sub.string(), "cannot list the directory: " + ec.message(),
                ProblemKind::kUnreadable);
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& e : entries) {
    if (w.stopped) return;
    struct stat st;
    if (::lstat(e.c_str(), &st) != 0) {
      w.problem(e.string(), std::string("cannot read the file: ") + std::strerror(errno),
                ProblemKind::kUnreadable);
      continue;
    }
    if (S_ISLNK(st.st_mode)) {
      // A link is followed only inside the tree: never to /etc, a home folder or a parent.
      const fs::path target = fs::canonical(e, ec);
      if (ec) {
        w.problem(e.string(), "symbolic link to nothing readable (" + ec.message() + "): skipped",
                  ProblemKind::kSkipped);
        continue;
      }
      if (!within(target, root)) {
        w.problem(e.string(), "symbolic link out of the folder given: skipped",
                  ProblemKind::kSkipped);
        continue;
      }
      if (::stat(target.c_str(), &st) != 0) {
        w.problem(e.string(), std::string("cannot read the link's target: ") + std::strerror(errno),
                  ProblemKind::kUnreadable);
        continue;
      }
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
      w.problem(e.string(), "not a regular file (a pipe, socket or device): skipped",
                ProblemKind::kSkipped);
      continue;
    }
    // Reached before (a link to a folder already walked, a link loop, a hard link): done once.
    if (!w.first_visit(st)) continue;
    if (S_ISDIR(st.st_mode)) {
      walk_dir(e, root, w, depth + 1);
    } else {
      emit_file(e, w);
    }
  }
}

}  // namespace

size_t walk_inputs(const std::vector<std::string>& paths, const ItemSink& sink,
                   const ProblemSink& problem, const ReadOptions& options) {
  Walk w{sink, problem, options, 0, false, {}};
  for (const auto& p : paths) {
    if (w.stopped) break;
    std::error_code ec;
    const fs::path path(p);
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      problem(p,
              errno == ENOENT ? "no such file or directory"
                              : std::string("cannot read: ") + std::strerror(errno),
              ProblemKind::kUnreadable);
      continue;
    }
    if (!w.first_visit(st)) continue;  // named twice, or inside a folder already walked
    if (S_ISDIR(st.st_mode)) {
      const fs::path root = fs::canonical(path, ec);
      if (ec) {
        problem(p, "cannot resolve the folder: " + ec.message(), ProblemKind::kUnreadable);
        continue;
      }
      walk_dir(path, root, w, 0);
    } else {
      emit_file(path, w);
    }
  }
  return w.count;
}

}  // namespace kz::intake
