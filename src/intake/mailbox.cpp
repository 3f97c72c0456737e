#include "intake/mailbox.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
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
  const std::string_view line = data.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
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
  return name.size() >= suffix.size() && iequals(std::string_view(name).substr(name.size() - suffix.size()), suffix);
}

}  // namespace

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
    const std::string_view chunk = data.substr(start, next == std::string_view::npos ? std::string_view::npos : next - start);
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

Result<std::string> read_file(const std::string& path) {
  // Sized once and read straight into the string: a stream copy doubles the memory traffic of
  // a 25 MB mbox file, which showed in the intake profile.
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return fail(Error::Io("cannot open the file for reading", path));
  const std::streamoff size = in.tellg();
  std::string data;
  if (size > 0) {
    data.resize(static_cast<size_t>(size));
    in.seekg(0);
    in.read(data.data(), size);
    data.resize(static_cast<size_t>(in.gcount()));
    if (in.bad()) return fail(Error::Io("read error", path));
    return data;
  }
  // Not seekable or empty on stat (a pipe, /proc): read to the end.
  in.clear();
  in.seekg(0);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return fail(Error::Io("read error", path));
  return ss.str();
}

namespace {

// One walk: the sinks, how many items were handed over, and whether the sink asked to stop.
struct Walk {
  const ItemSink& sink;
  const ProblemSink& problem;
  size_t count = 0;
  bool stopped = false;

  void emit(InputItem&& item) {
    ++count;
    if (!sink(std::move(item))) stopped = true;
  }
};

void emit_file(const fs::path& p, Walk& w) {
  const std::string path = p.string();
  auto data = read_file(path);
  if (!data) {
    w.problem(path, data.error().message);
    return;
  }
  const std::string name = p.filename().string();
  const std::string_view head = trim(std::string_view(*data).substr(0, 64));
  if (has_suffix(name, ".json") || (!head.empty() && head.front() == '{')) {
    w.emit({path, std::move(*data), ItemKind::kJson, std::nullopt});
    return;
  }
  auto items = split_mbox(*data, path);
  for (auto& item : items) {
    if (items.size() == 1) item.source = path;
    w.emit(std::move(item));
    if (w.stopped) return;
  }
}

void walk_dir(const fs::path& dir, Walk& w, int depth) {
  if (depth > 32) {
    w.problem(dir.string(), "directory nesting too deep: skipped");
    return;
  }
  std::error_code ec;
  const bool maildir = fs::is_directory(dir / "cur", ec) && fs::is_directory(dir / "new", ec);
  std::vector<fs::path> entries;
  for (const auto& sub : maildir ? std::vector<fs::path>{dir / "new", dir / "cur"} : std::vector<fs::path>{dir}) {
    for (fs::directory_iterator it(sub, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;  // hidden files, Maildir temp files
      entries.push_back(it->path());
    }
    if (ec) w.problem(sub.string(), "cannot list the directory: " + ec.message());
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& e : entries) {
    if (w.stopped) return;
    if (fs::is_directory(e, ec)) {
      walk_dir(e, w, depth + 1);
    } else if (fs::is_regular_file(e, ec)) {
      if (maildir) {
        auto data = read_file(e.string());
        if (!data) {
          w.problem(e.string(), data.error().message);
          continue;
        }
        w.emit({e.string(), std::move(*data), ItemKind::kEmail, std::nullopt});
      } else {
        emit_file(e, w);
      }
    }
  }
}

}  // namespace

size_t walk_inputs(const std::vector<std::string>& paths, const ItemSink& sink, const ProblemSink& problem) {
  Walk w{sink, problem};
  for (const auto& p : paths) {
    if (w.stopped) break;
    std::error_code ec;
    const fs::path path(p);
    if (fs::is_directory(path, ec)) {
      walk_dir(path, w, 0);
    } else if (fs::exists(path, ec)) {
      emit_file(path, w);
    } else {
      problem(p, "no such file or directory");
    }
  }
  return w.count;
}

}  // namespace kz::intake
