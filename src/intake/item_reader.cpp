#include "intake/item_reader.h"

#include <algorithm>

#include "core/text.h"

namespace kz::intake {

namespace {

// A line longer than this is not held back to see whether it is an mbox separator: a separator
// is "From ", an address and a date, under 1 KiB in every mbox we have seen. Bounding it keeps
// a file of one endless line from being held in memory whole.
constexpr size_t kLongestHeldLine = size_t{64} << 10;

// A separator is a line starting with "From " at `pos` (a line start) whose rest parses as an mbox
// date (so "From our logs..." in a body does not split).
bool is_separator(std::string_view data, size_t pos) {
  if (data.compare(pos, 5, "From ") != 0) return false;
  const size_t nl = data.find('\n', pos);
  const std::string_view line =
      data.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
  return parse_mbox_from_line(line).has_value();
}

}  // namespace

ItemKind kind_of(std::string_view bytes) {
  const std::string_view head = trim(bytes.substr(0, 64));
  return !head.empty() && head.front() == '{' ? ItemKind::kJson : ItemKind::kEmail;
}

// --- ItemBuilder ----------------------------------------------------------------------------

Status ItemBuilder::append(std::string_view data) {
  if (data.empty()) return {};
  if (size_ >= options_.max_raw_bytes) {
    cut_ = true;
    return {};
  }
  if (data.size() > options_.max_raw_bytes - size_) {
    data = data.substr(0, static_cast<size_t>(options_.max_raw_bytes - size_));
    cut_ = true;
  }
  if (blank_) blank_ = trim(data).empty();
  hash_.update(data);
  size_ += data.size();
  if (!spill_) {
    const size_t room =
        options_.max_memory_bytes - std::min(options_.max_memory_bytes, head_.size());
    const size_t take = std::min(room, data.size());
    head_.append(data.substr(0, take));
    data.remove_prefix(take);
    if (data.empty()) return {};
    auto spill = SpillFile::create(options_.spill_dir);
    if (!spill) return fail(spill.error());
    spill_ = std::move(*spill);
  }
  return spill_->append(data);
}

InputItem ItemBuilder::finish(std::string source, ItemKind kind, std::optional<Time> mbox_time) {
  InputItem item;
  item.source = std::move(source);
  item.bytes = std::move(head_);
  item.kind = kind;
  item.mbox_time = mbox_time;
  item.cut_at_limit = cut_;
  item.spill = std::move(spill_);
  item.sha256 = hash_.hex();
  head_.clear();
  spill_.reset();
  size_ = 0;
  cut_ = false;
  blank_ = true;
  return item;
}

// --- MboxSplitter ---------------------------------------------------------------------------

MboxSplitter::MboxSplitter(std::string source, bool is_mbox, bool json, const ReadOptions& options,
                           Emit emit)
    : source_(std::move(source)),
      is_mbox_(is_mbox),
      json_(json),
      emit_(std::move(emit)),
      builder_(options) {}

Result<bool> MboxSplitter::feed(std::string_view data) {
  if (stopped_) return false;
  if (!is_mbox_) {
    if (auto s = builder_.append(data); !s) return fail(s.error());
    return true;
  }
  buf_.append(data);
  return consume(false);
}

Result<bool> MboxSplitter::end() {
  if (stopped_) return false;
  if (!is_mbox_) {
    InputItem item = builder_.finish(source_, ItemKind::kJson, std::nullopt);
    if (!json_) item.kind = kind_of(item.bytes);
    return hand_on(std::move(item));
  }
  auto r = consume(true);
  if (!r || !*r) return r;
  r = close_message();
  if (!r || !*r) return r;
  if (!previous_) return true;
  // The only message of the mbox is named after the file.
  if (kept_ == 1) previous_->source = source_;
  InputItem last = std::move(*previous_);
  previous_.reset();
  stopped_ = !emit_(std::move(last));
  return !stopped_;
}

Result<bool> MboxSplitter::consume(bool at_end) {
  const std::string_view buf(buf_);
  size_t pos = 0;
  if (mid_line_ != MidLine::kNo) {
    // The rest of a line whose start was handed on: content, or the tail of a separator line.
    const size_t nl = buf.find('\n');
    pos = nl == std::string_view::npos ? buf.size() : nl + 1;
    if (mid_line_ == MidLine::kContent) {
      if (auto s = add(buf.substr(0, pos)); !s) return fail(s.error());
    }
    if (nl != std::string_view::npos) mid_line_ = MidLine::kNo;
  }
  size_t end = pos;
  if (at_end) {
    end = buf.size();
  } else if (const size_t last = buf.rfind('\n'); last != std::string_view::npos && last >= pos) {
    end = last + 1;
  }
  if (end > pos) {
    auto r = lines(buf.substr(pos, end - pos), false);
    if (!r || !*r) return r;
    pos = end;
  }
  if (!at_end && buf.size() - pos > kLongestHeldLine) {
    auto r = lines(buf.substr(pos), true);
    if (!r || !*r) return r;
    pos = buf.size();
  }
  buf_.erase(0, pos);
  return true;
}

Result<bool> MboxSplitter::lines(std::string_view region, bool partial) {
  size_t start = 0;
  while (true) {
    // Where the next separator line begins: `start` itself, or after a later line break.
    size_t next = std::string_view::npos;
    if (!open_ || is_separator(region, start)) {
      // The first line of an mbox is its first separator, whatever it says.
      next = start;
    } else {
      for (size_t search = region.find("\nFrom ", start); search != std::string_view::npos;
           search = region.find("\nFrom ", search + 1)) {
        if (is_separator(region, search + 1)) {
          next = search + 1;
          break;
        }
      }
    }
    const std::string_view text = region.substr(
        start, next == std::string_view::npos ? std::string_view::npos : next - start);
    if (auto s = content(text); !s) return fail(s.error());
    if (next == std::string_view::npos) {
      if (partial && !text.empty()) mid_line_ = MidLine::kContent;
      return true;
    }
    auto closed = close_message();
    if (!closed || !*closed) return closed;
    const size_t nl = region.find('\n', next);
    time_ = parse_mbox_from_line(
        region.substr(next, nl == std::string_view::npos ? std::string_view::npos : nl - next));
    open_ = true;
    ++count_;
    if (nl == std::string_view::npos) {
      if (partial) mid_line_ = MidLine::kSkip;
      return true;
    }
    start = nl + 1;
    if (start >= region.size()) return true;
  }
}

Status MboxSplitter::content(std::string_view text) {
  // mboxrd: a line of '>'s and "From " lost one '>' when it was written. Every such line holds
  // ">From ", and most messages have none: they are added whole.
  if (text.find(">From ") == std::string_view::npos) return add(text);
  for (size_t pos = 0; pos < text.size();) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size() - 1;
    std::string_view line = text.substr(pos, nl - pos + 1);
    size_t gt = 0;
    while (gt < line.size() && line[gt] == '>') ++gt;
    if (gt > 0 && line.substr(gt).starts_with("From ")) line.remove_prefix(1);
    if (auto s = add(line); !s) return s;
    pos = nl + 1;
  }
  return {};
}

Status MboxSplitter::add(std::string_view text) {
  if (text.empty()) return {};
  if (held_newline_) {
    held_newline_ = false;
    last_newline_ = true;
    if (auto s = builder_.append("\n"); !s) return s;
  }
  // A final line break is held back until more follows: before a separator, the blank line
  // belongs to the mbox.
  if (text.back() == '\n') {
    held_newline_ = true;
    text.remove_suffix(1);
    if (text.empty()) return {};
    last_newline_ = text.back() == '\n';
    return builder_.append(text);
  }
  last_newline_ = false;
  return builder_.append(text);
}

Result<bool> MboxSplitter::close_message() {
  if (!open_) return true;
  open_ = false;
  if (held_newline_ && !last_newline_) {
    if (auto s = builder_.append("\n"); !s) return fail(s.error());
  }
  held_newline_ = last_newline_ = false;
  const bool blank = builder_.blank();
  InputItem item = builder_.finish(source_ + "#" + std::to_string(count_), ItemKind::kEmail, time_);
  if (blank) return true;
  return hand_on(std::move(item));
}

Result<bool> MboxSplitter::hand_on(InputItem&& item) {
  if (!is_mbox_) {
    stopped_ = !emit_(std::move(item));
    return !stopped_;
  }
  // Held until the next one: an mbox of one message is named after the file.
  ++kept_;
  std::optional<InputItem> ready = std::move(previous_);
  previous_ = std::move(item);
  if (!ready) return true;
  stopped_ = !emit_(std::move(*ready));
  return !stopped_;
}

}  // namespace kz::intake
