#include "coord/replies.h"

#include <algorithm>

#include "core/text.h"

namespace kz::coord {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_lower(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
bool is_host_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

void add_unique(std::vector<std::string>& out, std::string value, size_t cap) {
  if (value.empty() || out.size() >= cap) return;
  if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(std::move(value));
}

// A host name is at most 253 bytes (RFC 1035); longer runs are not ours.
constexpr size_t kMaxHost = 253;
// An address in a DSN field: 320 bytes is RFC 5321's 64 + 1 + 255.
constexpr size_t kMaxAddress = 320;

bool looks_like_dsn(const intake::ParsedMessage& m) {
  const std::string from = to_lower_ascii(m.from_address);
  return from.starts_with("mailer-daemon@") || from.starts_with("postmaster@") ||
         ifind(m.subject, "undeliver") != std::string::npos ||
         ifind(m.subject, "delivery status notification") != std::string::npos ||
         ifind(m.subject, "returned mail") != std::string::npos ||
         ifind(m.subject, "delivery failure") != std::string::npos;
}

}  // namespace

void find_our_message_ids(std::string_view text, std::vector<std::string>& out) {
  constexpr std::string_view kMark = "kizuna.";
  size_t from = 0;
  while (out.size() < kMaxIds) {
    const size_t at = text.find(kMark, from);
    if (at == std::string_view::npos) return;
    // Each candidate is read forward once; the next search starts after what it consumed, so a
    // long run of digits or host characters is looked at a bounded number of times.
    size_t i = at + kMark.size();
    const size_t digits = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    from = std::max(i, at + 1);
    if (i == digits || i >= text.size() || text[i] != '.') continue;
    const size_t hex = ++i;
    while (i < text.size() && i - hex < 16 && is_hex_lower(text[i])) ++i;
    from = std::max(i, from);
    if (i - hex != 16 || i >= text.size() || text[i] != '@') continue;
    const size_t host = ++i;
    while (i < text.size() && is_host_char(text[i])) ++i;
    from = std::max(i, from);
    if (i == host || i - host > kMaxHost) continue;
    add_unique(out, std::string(text.substr(at, i - at)), kMaxIds);
  }
}

std::optional<std::string> final_recipient(std::string_view line) {
  std::string_view t = trim(line);
  constexpr std::string_view kField = "Final-Recipient:";
  if (!istarts_with(t, kField)) return std::nullopt;
  t = trim(t.substr(kField.size()));
  constexpr std::string_view kType = "rfc822";
  if (!istarts_with(t, kType)) return std::nullopt;
  t = trim(t.substr(kType.size()));
  if (t.empty() || t.front() != ';') return std::nullopt;
  t = trim(t.substr(1));
  if (!t.empty() && t.front() == '<') t.remove_prefix(1);
  size_t end = 0;
  while (end < t.size() && t[end] != '>' && !is_space(t[end]) && end <= kMaxAddress) ++end;
  if (end > kMaxAddress) return std::nullopt;
  const std::string_view addr = t.substr(0, end);
  const size_t at = addr.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == addr.size()) return std::nullopt;
  return to_lower_ascii(addr);
}

std::optional<Tag> read_tag(std::string_view subject, std::string_view prefix) {
  const std::string open = "[" + std::string(prefix);
  const size_t p = subject.find(open);
  if (p == std::string_view::npos) return std::nullopt;
  size_t q = p + open.size();
  Tag tag;
  if (q < subject.size() && subject[q] == 'N') {
    tag.notice = true;
    ++q;
  }
  size_t e = q;
  // 18 digits always fit an int64_t; a longer number is nobody's tag.
  while (e < subject.size() && is_digit(subject[e]) && e - q <= 18) ++e;
  if (e == q || e - q > 18 || e >= subject.size() || subject[e] != ']') return std::nullopt;
  for (size_t k = q; k < e; ++k) tag.id = tag.id * 10 + (subject[k] - '0');
  return tag;
}

bool says_taken_down(std::string_view text) {
  static const char* kWords[] = {"削除しました",      "削除いたしました",   "削除致しました",
                                 "停止しました",      "停止いたしました",   "停止致しました",
                                 "閉鎖しました",      "閉鎖いたしました",   "対応が完了",
                                 "対応完了",          "taken down",         "has been removed",
                                 "have been removed", "been deleted",       "was removed",
                                 "were removed",      "has been suspended", "have been suspended",
                                 "been disabled",     "been terminated",    "no longer available",
                                 "site is down",      "removed the"};
  for (const char* w : kWords) {
    if (ifind(text, w) != std::string_view::npos) return true;
  }
  return false;
}

ReplyReading read_reply(const intake::ParsedMessage& m, std::string_view tag_prefix) {
  ReplyReading r;
  for (const auto& id : m.refs) add_unique(r.message_ids, id, kMaxIds);
  for (const auto& id : m.embedded_message_ids) add_unique(r.message_ids, id, kMaxIds);
  r.delivery_failure = looks_like_dsn(m);
  if (r.delivery_failure) {
    // The delivery-status fields and the returned headers are parts of the message (quoted
    // originals); our Message-ID may stand in any of them.
    for (const auto& part : m.parts) {
      find_our_message_ids(part.text, r.message_ids);
      for (auto line : split_lines(part.text)) {
        if (auto a = final_recipient(line))
          add_unique(r.failed_recipients, std::move(*a), kMaxRecipients);
        if (r.diagnostic.empty() && istarts_with(trim(line), "Diagnostic-Code:")) {
          r.diagnostic = std::string(utf8_prefix(trim(line), kMaxDiagnosticBytes));
        }
      }
    }
  }
  if (auto tag = read_tag(m.subject, tag_prefix)) {
    (tag->notice ? r.tagged_notice : r.tagged_report) = tag->id;
  }
  return r;
}

bool reply_says_taken_down(const intake::ParsedMessage& m) {
  // Only the reply itself, not the quoted notice below it.
  std::string own;
  const auto add_own = [&](std::string_view text) {
    for (auto line : split_lines(text)) {
      if (!trim(line).starts_with(">")) own.append(line).append("\n");
    }
  };
  add_own(m.subject);
  for (const auto& part : m.parts) {
    if (!part.quoted_original) add_own(part.text);
  }
  return says_taken_down(own);
}

bool tag_sender_known(const store::NoticeRecord& n, const std::string& sender) {
  if (sender.empty()) return false;
  for (const auto* list : {&n.to, &n.cc}) {
    for (const auto& a : *list) {
      if (iequals(a, sender) ||
          (n.audience == store::Audience::kResponder && mail_domain(a) == mail_domain(sender)))
        return true;
    }
  }
  return false;
}

ReplyFiling file_reply(const ReplyClues& c) {
  ReplyFiling out;
  const store::NoticeRecord* notice = c.by_message_id ? &*c.by_message_id : nullptr;
  if (!notice) {
    if (c.tagged_notice) {
      if (tag_sender_known(*c.tagged_notice, c.sender)) {
        notice = &*c.tagged_notice;
      } else if (c.tagged_notice->report) {
        out.strangers.push_back(*c.tagged_notice->report);
      }
    }
    if (c.tagged_report) {
      if (!c.tagged_report->address.empty() && iequals(c.tagged_report->address, c.sender)) {
        out.report = c.tagged_report->report;
      } else if (c.tagged_report->report != 0) {
        out.strangers.push_back(c.tagged_report->report);
      }
    }
  }
  if (notice && notice->audience == store::Audience::kReporter && notice->report) {
    out.report = *notice->report;  // answering an acknowledgement or closure mail
  } else if (notice && !out.report && notice->audience == store::Audience::kResponder) {
    out.notice = notice->id;
  }
  return out;
}

Time reply_time(std::optional<Time> received, std::optional<Time> date,
                std::optional<Time> notice_sent, Time now) {
  Time t = received ? *received : date ? *date : now;
  if (notice_sent && t < *notice_sent) t = *notice_sent;
  if (t > now) t = now;
  return t;
}

}  // namespace kz::coord
