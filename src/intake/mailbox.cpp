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

namespace {

// A separator is a line starting with "From " at the start of the data or after a newline,
// whose rest parses as an mbox date (so "From our logs..." in a body does not split).
bool is_separator(std::string_view data, size_t pos) {
  if (data.compare(pos, 5, "From ") != 0) return false;
  const size_t nl = data.find('\n', pos);
  const std::string_view line =
      data.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
  return parse_mbox_from_line(line).has_value();
}

std::string unescape_from(std::string_view body) {
  // Every escaped line contains ">From ": most messages have none and are copied whole.
  if (body.find(">From ") == std::string_view::npos) return std::string(body);
  std::string out;
  out.reserve(body.size());
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    if (nl == std::string_view::npos) nl = body.size() - 1;
    std::string_view line = body.substr(pos, nl - pos + 1);
    size_t gt = 0;
    while (gt < line.size() && line[gt] == '>') ++gt;
    if (gt > 0 && line.substr(gt).starts_with("From ")) line.remove_prefix(1);
    out.append(line);
    pos = nl + 1;
  }
  return out;
}

bool has_suffix(const std::string& name, std::string_view suffix) {
  return name.size() >= suffix.size() &&
         iequals(std::string_view(name).substr(name.size() - suffix.size()), suffix);
}

}  // namespace

ItemKind kind_of(std::string_view bytes) {
  const std::string_view head = trim(bytes.substr(0, 64));
  return !head.empty() && head.front() == '{' ? ItemKind::kJson : ItemKind::kEmail;
}

std::vector<InputItem> split_mbox(std::string_view data, const std::string& source) {
  std::vector<InputItem> out;
  if (!data.starts_with("From ")) {
    out.push_back({source, std::string(data), ItemKind::kEmail, std::nullopt});
    return out;
  }
  size_t start = 0;
  int index = 0;
  while (start < data.size()) {
    // Find the next separator after this one's line.
    size_t search = data.find("\nFrom ", start);
    size_t next = std::string_view::npos;
    while (search != std::string_view::npos) {
      if (is_separator(data, search + 1)) {
        next = search + 1;
        break;
      }
      search = data.find("\nFrom ", search + 1);
    }
    const std::string_view chunk =
        data.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
    const size_t nl = chunk.find('\n');
    InputItem item;
    item.source = source + "#" + std::to_string(++index);
    item.mbox_time = parse_mbox_from_line(chunk.substr(0, nl));
    item.bytes = nl == std::string_view::npos ? std::string() : unescape_from(chunk.substr(nl + 1));
    // The blank line before the next separator belongs to the mbox, not the message.
    if (item.bytes.ends_with("\n\n")) item.bytes.pop_back();
    if (!trim(item.bytes).empty()) out.push_back(std::move(item));
    if (next == std::string_view::npos) break;
    start = next;
  }
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
  size_t max_bytes;
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

// An mbox is split whole (its messages are not cut); anything else is read up to the limit.
bool starts_as_mbox(const std::string& path) {
  char head[5] = {};
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st;
  const bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  const bool mbox = regular && ::read(fd, head, 5) == 5 && std::memcmp(head, "From ", 5) == 0;
  ::close(fd);
  return mbox;
}

void emit_file(const fs::path& p, Walk& w) {
  const std::string path = p.string();
  bool cut = false;
  auto data = read_file(path, starts_as_mbox(path) ? SIZE_MAX : w.max_bytes, &cut);
  if (!data) {
    w.problem(path, data.error().message, ProblemKind::kUnreadable);
    return;
  }
  const std::string name = p.filename().string();
  if (has_suffix(name, ".json") || kind_of(*data) == ItemKind::kJson) {
    w.emit({path, std::move(*data), ItemKind::kJson, std::nullopt, cut});
    return;
  }
  if (cut) {
    w.emit({path, std::move(*data), ItemKind::kEmail, std::nullopt, true});
    return;
  }
  auto items = split_mbox(*data, path);
  for (auto& item : items) {
    if (items.size() == 1) item.source = path;
    w.emit(std::move(item));
    if (w.stopped) return;
  }
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
    } else if (maildir) {
      bool cut = false;
      auto data = read_file(e.string(), w.max_bytes, &cut);
      if (!data) {
        w.problem(e.string(), data.error().message, ProblemKind::kUnreadable);
        continue;
      }
      w.emit({e.string(), std::move(*data), ItemKind::kEmail, std::nullopt, cut});
    } else {
      emit_file(e, w);
    }
  }
}

}  // namespace

size_t walk_inputs(const std::vector<std::string>& paths, const ItemSink& sink,
                   const ProblemSink& problem, size_t max_bytes) {
  Walk w{sink, problem, max_bytes, 0, false, {}};
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
