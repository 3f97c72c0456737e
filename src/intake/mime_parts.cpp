#include "intake/mime_parts.h"

#include <gmime/gmime.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <type_traits>

#include "core/ip.h"
#include "core/text.h"
#include "intake/structured.h"
#include "intake/zip.h"

namespace kz::intake::detail {

namespace {

const char* nz(const char* s) { return s ? s : ""; }

std::string g_string(char* s) {
  std::string out = s ? s : "";
  g_free(s);
  return out;
}

std::string strip_angle(std::string_view s) {
  s = trim(s);
  if (!s.empty() && s.front() == '<') s.remove_prefix(1);
  if (!s.empty() && s.back() == '>') s.remove_suffix(1);
  return std::string(trim(s));
}

bool ends_with_ci(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

bool looks_textual_name(std::string_view name) {
  static const char* kExt[] = {".txt", ".log", ".csv",  ".json", ".yaml", ".yml",
                               ".xml", ".eml", ".text", ".htm",  ".html", ".asc"};
  for (const char* e : kExt) {
    if (ends_with_ci(name, e)) return true;
  }
  return false;
}

std::string strip_html(const std::string& html) {
  std::string out;
  out.reserve(html.size());
  bool in_tag = false;
  for (size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (c == '<') {
      in_tag = true;
      // Block elements become line breaks so lines stay lines.
      const std::string_view rest = std::string_view(html).substr(i);
      if (istarts_with(rest, "<br") || istarts_with(rest, "<p") || istarts_with(rest, "<div") ||
          istarts_with(rest, "<tr")) {
        out += '\n';
      }
      continue;
    }
    if (c == '>') {
      in_tag = false;
      continue;
    }
    if (!in_tag) out += c;
  }
  static const std::pair<const char*, const char*> kEntities[] = {{"&amp;", "&"},  {"&lt;", "<"},
                                                                  {"&gt;", ">"},   {"&quot;", "\""},
                                                                  {"&nbsp;", " "}, {"&#39;", "'"}};
  for (const auto& [from, to] : kEntities) {
    size_t pos = 0;
    while ((pos = out.find(from, pos)) != std::string::npos) {
      out.replace(pos, std::strlen(from), to);
      pos += std::strlen(to);
    }
  }
  return out;
}

// Addresses in one Received header's "from" clause: "from host (host [192.0.2.1])".
void collect_ips(std::string_view value, std::vector<std::string>& out) {
  size_t i = 0;
  while (i < value.size()) {
    const size_t open = value.find('[', i);
    if (open == std::string_view::npos) break;
    const size_t close = value.find(']', open);
    if (close == std::string_view::npos) break;
    std::string_view inside = value.substr(open + 1, close - open - 1);
    if (istarts_with(inside, "IPv6:")) inside.remove_prefix(5);
    if (auto ip = Ip::parse(inside)) out.push_back(ip->to_string());
    i = close + 1;
  }
}

// The date after the last ';' of a Received header.
std::optional<Time> received_date(std::string_view value) {
  const size_t semi = value.rfind(';');
  if (semi == std::string_view::npos) return std::nullopt;
  return parse_rfc2822(value.substr(semi + 1));
}

std::string by_host(std::string_view value) {
  const size_t by = ifind(value, " by ");
  if (by == std::string_view::npos) {
    if (istarts_with(value, "by "))
      return to_lower_ascii(trim(value.substr(3, value.find_first_of(" \t\r\n(;", 3) - 3)));
    return {};
  }
  std::string_view rest = trim(value.substr(by + 4));
  return to_lower_ascii(rest.substr(0, rest.find_first_of(" \t\r\n(;")));
}

// The first mailbox of an address list (a group's first member), as gmime's message does.
// RFC 5322 atext, and the characters of a domain as mail carries them.
bool atext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr;
}
bool domain_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

// local@domain with dot-atom halves (no empty atom) and nothing else.
bool plain_addr_spec(std::string_view a) {
  const size_t at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  const auto dot_atoms = [](std::string_view s, bool (*ok)(char)) {
    if (s.front() == '.' || s.back() == '.') return false;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '.' ? s[i + 1] == '.' : !ok(s[i])) return false;
    }
    return true;
  };
  return dot_atoms(a.substr(0, at), atext) && dot_atoms(a.substr(at + 1), domain_char);
}

}  // namespace

std::optional<Mailbox> mailbox_lean(std::string_view raw) {
  const std::string_view v = trim(raw);
  if (v.empty()) return std::nullopt;
  for (const char c : v) {
    if (c < 0x20 || c > 0x7e || c == '\\') return std::nullopt;
  }
  if (v.back() != '>') {
    if (!plain_addr_spec(v)) return std::nullopt;
    return Mailbox{std::string(v), {}};
  }
  const size_t lt = v.rfind('<');
  if (lt == std::string_view::npos) return std::nullopt;
  const std::string_view addr = v.substr(lt + 1, v.size() - lt - 2);
  if (!plain_addr_spec(addr)) return std::nullopt;
  const std::string_view phrase = trim(v.substr(0, lt));
  if (phrase.empty()) return Mailbox{std::string(addr), {}};
  if (phrase.size() >= 2 && phrase.front() == '"' && phrase.back() == '"') {
    // Inside quotes anything printable but quotes and escapes; no encoded words (gmime decodes
    // them there too) and no runs of spaces.
    const std::string_view inner = phrase.substr(1, phrase.size() - 2);
    if (inner.empty() || inner.find('"') != std::string_view::npos ||
        inner.find("=?") != std::string_view::npos || inner.find("  ") != std::string_view::npos ||
        inner.front() == ' ' || inner.back() == ' ')
      return std::nullopt;
    return Mailbox{std::string(addr), std::string(inner)};
  }
  // Atoms (with obs-phrase dots) and encoded words, one space apart: no comments, groups, lists.
  if (phrase.find("  ") != std::string_view::npos) return std::nullopt;
  for (const char c : phrase) {
    if (!(atext(c) || c == '.' || c == ' ')) return std::nullopt;
  }
  if (phrase.find("=?") == std::string_view::npos)
    return Mailbox{std::string(addr), std::string(phrase)};
  init_mime();
  const std::string p(phrase);
  return Mailbox{std::string(addr),
                 g_string(g_mime_utils_header_decode_phrase(nullptr, p.c_str()))};
}

std::optional<Mailbox> mailbox_gmime(std::string_view raw) {
  init_mime();
  const std::string r(raw);
  InternetAddressList* list = internet_address_list_parse(nullptr, r.c_str());
  if (!list) return std::nullopt;
  std::optional<Mailbox> out;
  if (internet_address_list_length(list) > 0) {
    out.emplace();
    InternetAddress* a = internet_address_list_get_address(list, 0);
    if (INTERNET_ADDRESS_IS_MAILBOX(a)) {
      out->address = nz(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a)));
    } else if (INTERNET_ADDRESS_IS_GROUP(a)) {
      InternetAddressList* members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a));
      if (members && internet_address_list_length(members) > 0) {
        InternetAddress* m = internet_address_list_get_address(members, 0);
        if (INTERNET_ADDRESS_IS_MAILBOX(m))
          out->address = nz(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(m)));
      }
    }
    out->name = nz(internet_address_get_name(a));
  }
  g_object_unref(list);
  return out;
}

std::optional<HeaderDate> date_lean(std::string_view value) {
  std::string_view v = trim(value);
  static constexpr std::string_view kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (v.size() > 5 && v[3] == ',' && v[4] == ' ' &&
      std::find(std::begin(kDays), std::end(kDays), v.substr(0, 3)) != std::end(kDays))
    v.remove_prefix(5);
  // min_digits to max_digits digits, then `sep` (0: the end of the value), taken off the front.
  const auto number = [&v](size_t min_digits, size_t max_digits, char sep, int& out) {
    size_t n = 0;
    out = 0;
    while (n < v.size() && n < max_digits && v[n] >= '0' && v[n] <= '9')
      out = out * 10 + (v[n++] - '0');
    if (n < min_digits || (n < v.size() && v[n] != sep) || (n == v.size() && sep != 0))
      return false;
    v.remove_prefix(n == v.size() ? n : n + 1);
    return true;
  };
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0, zone = 0;
  if (!number(1, 2, ' ', day) || v.size() < 4 || v[3] != ' ') return std::nullopt;
  const auto month = std::find(std::begin(kMonths), std::end(kMonths), v.substr(0, 3));
  if (month == std::end(kMonths)) return std::nullopt;
  v.remove_prefix(4);
  if (!number(4, 4, ' ', year) || !number(2, 2, ':', hh) || !number(2, 2, ':', mm) ||
      !number(2, 2, ' ', ss) || v.size() < 5 || (v[0] != '+' && v[0] != '-'))
    return std::nullopt;
  const int sign = v[0] == '-' ? -1 : 1;
  v.remove_prefix(1);
  std::string_view rest = v.substr(std::min<size_t>(4, v.size()));
  v = v.substr(0, 4);
  if (!number(4, 4, 0, zone)) return std::nullopt;
  // An optional zone name in a comment, as many mailers add: " (JST)".
  if (!rest.empty()) {
    if (rest.size() < 4 || rest.substr(0, 2) != " (" || rest.back() != ')') return std::nullopt;
    for (const char c : rest.substr(2, rest.size() - 3)) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return std::nullopt;
    }
  }
  if (year < 1970 || ss > 59 || zone / 100 > 23 || zone % 100 > 59) return std::nullopt;
  const auto local =
      utc_time(year, static_cast<int>(month - std::begin(kMonths)) + 1, day, hh, mm, ss);
  if (!local) return std::nullopt;
  const int offset = sign * (zone / 100 * 60 + zone % 100);
  return HeaderDate{*local - std::chrono::minutes{offset}, offset};
}

std::optional<HeaderDate> date_gmime(std::string_view value) {
  init_mime();
  const std::string v(value);
  GDateTime* dt = g_mime_utils_header_decode_date(v.c_str());
  if (!dt) return std::nullopt;
  HeaderDate out{Time{std::chrono::seconds{g_date_time_to_unix(dt)}},
                 static_cast<int>(g_date_time_get_utc_offset(dt) / G_TIME_SPAN_MINUTE)};
  g_date_time_unref(dt);
  return out;
}

std::string header_text_gmime(std::string_view raw) {
  init_mime();
  const std::string r(raw);
  char* unfolded = g_mime_utils_header_unfold(r.c_str());
  std::string out = g_string(g_mime_utils_header_decode_text(nullptr, unfolded));
  g_free(unfolded);
  return out;
}

std::string header_text(std::string_view raw) {
  // Most values are printable ASCII without encoded words: decoding leaves them as they are,
  // and unfolding is trimming white space at both ends and dropping line breaks. Anything
  // else (8-bit bytes, control characters, "=?") goes through gmime.
  for (const char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 127 || (c < 32 && c != '\t' && c != '\n')) return header_text_gmime(raw);
  }
  if (raw.find("=?") != std::string_view::npos) return header_text_gmime(raw);
  // Only space, tab and newline remain as white space here, so trim() is gmime's unfolding.
  const std::string_view value = trim(raw);
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c != '\n') out += c;
  }
  return out;
}

namespace {

// A header that says a machine sent the message (RFC 3834 Auto-Submitted, bulk or list mail, a
// bounce's empty Return-Path, an X-ARF report): sets `why` and returns true.
bool automatic_header(const RawHeader& h, std::string& why) {
  // Most headers are none of these: the name is compared first, by its first letter.
  const char first = h.name.empty() ? '\0' : static_cast<char>(h.name[0] | 0x20);
  if (first != 'a' && first != 'p' && first != 'l' && first != 'r' && first != 'x') return false;
  if (!iequals(h.name, "Auto-Submitted") && !iequals(h.name, "Precedence") &&
      !iequals(h.name, "List-Id") && !iequals(h.name, "Return-Path") && !iequals(h.name, "X-ARF"))
    return false;
  const std::string value = to_lower_ascii(trim(std::string_view(h.raw).substr(0, 200)));
  if (iequals(h.name, "Auto-Submitted")) {
    if (value.empty() || value.starts_with("no")) return false;
    why = "Auto-Submitted: " + value.substr(0, value.find_first_of(" ;("));
  } else if (iequals(h.name, "Precedence")) {
    if (value != "bulk" && value != "list" && value != "junk") return false;
    why = "Precedence: " + value;
  } else if (iequals(h.name, "List-Id")) {
    why = "List-Id";
  } else if (iequals(h.name, "Return-Path")) {
    if (value != "<>") return false;
    why = "empty Return-Path";
  } else if (iequals(h.name, "X-ARF")) {
    if (value != "yes") return false;
    why = "X-ARF";
  } else {
    return false;
  }
  return true;
}

}  // namespace

void read_headers(const std::vector<RawHeader>& headers, ParsedMessage& out,
                  const MimeOptions& opt) {
  // gmime's message keeps the last Subject, Date and Message-ID, the addresses of every From
  // header, and answers In-Reply-To / References with the first of each.
  const RawHeader* subject = nullptr;
  const RawHeader* date = nullptr;
  const RawHeader* message_id = nullptr;
  const RawHeader* in_reply_to = nullptr;
  const RawHeader* references = nullptr;
  bool found_own = false;
  bool have_from = false;
  for (const auto& h : headers) {
    if (iequals(h.name, "Subject")) {
      subject = &h;
    } else if (iequals(h.name, "Date")) {
      date = &h;
    } else if (iequals(h.name, "Message-ID")) {
      message_id = &h;
    } else if (iequals(h.name, "In-Reply-To")) {
      if (!in_reply_to) in_reply_to = &h;
    } else if (iequals(h.name, "References")) {
      if (!references) references = &h;
    } else if (iequals(h.name, "From")) {
      if (have_from) continue;
      auto mailbox = mailbox_lean(h.raw);
      if (!mailbox) mailbox = mailbox_gmime(h.raw);
      if (!mailbox) continue;
      out.from_address = to_lower_ascii(mailbox->address);
      out.from_name = sanitize_utf8(mailbox->name);
      have_from = true;
    } else if (out.automatic.empty() && automatic_header(h, out.automatic)) {
      continue;
    } else if (iequals(h.name, "Received")) {
      const std::string& value = h.raw;
      collect_ips(value, out.relay_ips);
      if (istarts_with(trim(value), "from ")) {
        std::string_view rest = trim(value).substr(5);
        const std::string host = to_lower_ascii(rest.substr(0, rest.find_first_of(" \t\r\n(;")));
        if (host.find('.') != std::string::npos && !Ip::parse(host))
          out.relay_hosts.push_back(host);
      }
      if (found_own) continue;
      bool own = opt.own_mx.empty();
      if (!own) {
        const std::string by = by_host(value);
        for (const auto& mx : opt.own_mx) own = own || iequals(by, mx);
      }
      if (own) {
        if (auto t = received_date(value)) {
          out.received = t;
          found_own = true;
        }
      }
    }
  }
  if (out.automatic.empty() && (istarts_with(out.from_address, "mailer-daemon@") ||
                                istarts_with(out.from_address, "postmaster@"))) {
    out.automatic = "From: " + out.from_address.substr(0, out.from_address.find('@'));
  }
  if (subject) out.subject = sanitize_utf8(header_text(subject->raw));
  if (message_id) {
    const std::string value = header_text(message_id->raw);
    if (char* id = g_mime_utils_decode_message_id(value.c_str())) {
      out.message_id = strip_angle(id);
      g_free(id);
    }
  }
  if (date) {
    const std::string value = header_text(date->raw);
    auto when = date_lean(value);
    if (!when) when = date_gmime(value);
    if (when) {
      out.date = when->time;
      out.date_offset_minutes = when->offset_minutes;
    }
  }
  for (const RawHeader* h : {in_reply_to, references}) {
    if (!h) continue;
    const std::string value = header_text(h->raw);
    GMimeReferences* refs = g_mime_references_parse(nullptr, value.c_str());
    if (!refs) continue;
    for (int k = 0; k < g_mime_references_length(refs); ++k) {
      std::string id = strip_angle(g_mime_references_get_message_id(refs, k));
      bool seen = false;
      for (const auto& r : out.refs) seen = seen || r == id;
      if (!seen && !id.empty()) out.refs.push_back(std::move(id));
    }
    g_mime_references_free(refs);
  }
}

bool Collector::enter(int depth) {
  // Each limit is said once per message: 10,000 parts used to give 8,001 copies of the reason.
  if (++parts_seen_ > opt_.limits.max_parts) {
    if (!noted_parts_)
      note("more than " + std::to_string(opt_.limits.max_parts) + " MIME parts: the rest skipped");
    noted_parts_ = true;
    return false;
  }
  if (depth > opt_.limits.max_depth) {
    if (!noted_depth_)
      note("MIME nesting deeper than " + std::to_string(opt_.limits.max_depth) + ": skipped");
    noted_depth_ = true;
    return false;
  }
  return true;
}

void Collector::add_text(std::string origin, std::string text, bool attachment, bool quoted) {
  const size_t room =
      opt_.limits.max_text_bytes - std::min(text_bytes_, opt_.limits.max_text_bytes);
  if (text.size() > room) {
    // Cut, not dropped: the first part of a long log still names the address it reports.
    if (!noted_text_) {
      note(origin + ": text over the limit of " + std::to_string(opt_.limits.max_text_bytes) +
           " bytes: cut at the limit");
    }
    noted_text_ = true;
    if (room == 0) return;
    std::string_view kept = utf8_prefix(text, room);
    // At the last line end within the room, so no log line is read half.
    if (const size_t nl = kept.rfind('\n'); nl != std::string_view::npos)
      kept = kept.substr(0, nl + 1);
    text.resize(kept.size());
  }
  text_bytes_ += text.size();
  out_.parts.push_back({std::move(origin), std::move(text), attachment, quoted});
}

void Collector::forwarded_headers(const std::string& prefix, const char* subject,
                                  const std::string& from, bool quoted) {
  std::string text;
  if (subject) text += std::string("Subject: ") + subject + "\n";
  text += "From: " + from + "\n";
  add_text(prefix + "headers", to_utf8(text, "utf-8"), false, quoted);
}

void Collector::embedded_headers(const std::vector<RawHeader>& headers) {
  // Bounded like the parts: a message nesting originals needs no more than one id per part.
  if (out_.embedded_message_ids.size() >= static_cast<size_t>(opt_.limits.max_parts)) return;
  for (const auto& h : headers) {
    if (!iequals(h.name, "Message-ID")) continue;
    const std::string value = header_text(h.raw);
    if (char* id = g_mime_utils_decode_message_id(value.c_str())) {
      std::string stripped = strip_angle(id);
      g_free(id);
      if (!stripped.empty()) out_.embedded_message_ids.push_back(std::move(stripped));
    }
    return;
  }
}

bool Collector::is_message_leaf(const std::string& type, const std::string& subtype) {
  return type == "message" && (subtype == "feedback-report" || subtype == "rfc822" ||
                               subtype == "rfc822-headers" || subtype == "delivery-status");
}

void Collector::leaf(const Leaf& part, const std::string& prefix, bool quoted) {
  const std::string& type = part.type;
  const std::string& sub = part.subtype;
  const std::string& name = part.name;
  const bool attachment = part.attachment;
  const std::string origin =
      prefix + (attachment ? "attachment:" + (name.empty() ? type + "/" + sub : name) : "body");

  if (type == "message" && sub == "feedback-report") {
    const std::string fields = part.bytes();
    if (auto r = parse_arf(fields)) {
      out_.reports.push_back(std::move(*r));
    } else {
      note(origin + ": " + r.error().message);
    }
    add_text(origin, to_utf8(fields, "us-ascii"), attachment, true);
    return;
  }
  if (type == "message" &&
      (sub == "rfc822" || sub == "rfc822-headers" || sub == "delivery-status")) {
    // Held as a leaf (an unparsed message, its headers, a delivery status notification's
    // fields): kept as quoted text, read by coordination (replies.h), never triaged.
    add_text(origin, to_utf8(part.bytes(), ""), attachment, true);
    return;
  }
  const bool is_zip =
      sub == "zip" || sub == "x-zip-compressed" || sub == "x-zip" || ends_with_ci(name, ".zip");
  if (is_zip) {
    unzip(part.bytes(), origin, name, quoted);
    return;
  }
  const bool is_json = sub == "json" || ends_with_ci(name, ".json");
  const bool textual = type == "text" || is_json || looks_textual_name(name) ||
                       (type == "application" && (sub == "x-yaml" || sub == "yaml"));
  if (!textual) return;  // images, executables: evidence kept in the raw message only

  std::string text =
      to_utf8(part.bytes(), type == "text" && part.has_charset_param ? part.charset : "");
  if (sub == "html") text = strip_html(text);
  // A machine-readable report part is evidence: its fields are read from the report itself.
  const bool structured = structured_from_text(text, origin, is_json, name);
  add_text(origin, std::move(text), attachment, quoted || structured);
}

bool Collector::structured_from_text(const std::string& text, const std::string& origin,
                                     bool is_json, const std::string& name) {
  const std::string_view t = trim(text);
  if (is_json ||
      (!t.empty() && t.front() == '{' && t.find("\"xarf_version\"") != std::string_view::npos) ||
      (!t.empty() && t.front() == '{' && t.find("\"ReporterInfo\"") != std::string_view::npos)) {
    if (t.empty() || t.front() != '{') return false;
    auto r = parse_json_report(t, opt_.limits.max_items_per_message);
    if (r) {
      for (const auto& p : r->problems) note(origin + ": " + p);
      out_.reports.push_back(std::move(*r));
      return true;
    }
    if (t.find("xarf") != std::string_view::npos ||
        t.find("ReportClass") != std::string_view::npos) {
      note(origin + ": " + r.error().message);
    }
    return false;
  }
  // X-ARF 0.2 fields stand at the top of their part: look at the head only.
  const std::string_view head = t.substr(0, 4096);
  const bool named_report =
      iequals(name, "report.txt") || iequals(name, "report.yaml") || iequals(name, "report.yml");
  if ((named_report || ifind(head, "Report-Type:") != std::string_view::npos) &&
      ifind(head, "Reported-From:") != std::string_view::npos &&
      ifind(head, "Category:") != std::string_view::npos) {
    if (auto r = parse_xarf02(t)) {
      out_.reports.push_back(std::move(*r));
      return true;
    } else {
      note(origin + ": " + r.error().message);
    }
  }
  return false;
}

void Collector::unzip(const std::string& bytes, const std::string& origin, const std::string& name,
                      bool quoted) {
  std::vector<std::string> skipped;
  auto entries =
      read_zip(bytes, opt_.limits.max_zip_entries, opt_.limits.max_unzipped_bytes, &skipped);
  if (!entries) {
    note(origin + ": " + entries.error().message);
    return;
  }
  for (const auto& s : skipped) note(origin + ": " + s);
  for (auto& e : *entries) {
    const std::string o =
        "zip:" + (name.empty() ? std::string("archive.zip") : name) + "/" + e.name;
    if (ends_with_ci(e.name, ".zip")) {
      note(o + ": nested zip archives are not opened");
      continue;
    }
    std::string text = to_utf8(e.data, "");
    const bool structured = structured_from_text(text, o, ends_with_ci(e.name, ".json"), e.name);
    add_text(o, std::move(text), true, quoted || structured);
  }
}

}  // namespace kz::intake::detail

namespace kz::intake {

namespace {

bool differs(std::string& out, const std::string& f, const TextPart& a, const TextPart& b);
bool differs(std::string& out, const std::string& f, const StructuredReport& a,
             const StructuredReport& b);

template <typename T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return "\"" + v + "\"";
  } else if constexpr (std::is_same_v<T, std::optional<Time>>) {
    return v ? std::to_string(v->time_since_epoch().count()) : "none";
  } else if constexpr (std::is_same_v<T, bool>) {
    return v ? "true" : "false";
  } else {
    return std::to_string(v);
  }
}

template <typename T>
bool differs(std::string& out, const std::string& field, const T& a, const T& b) {
  if (a == b) return false;
  out = field + ": " + show(a) + " vs " + show(b);
  return true;
}

template <typename T>
bool differs(std::string& out, const std::string& field, const std::vector<T>& a,
             const std::vector<T>& b) {
  if (a.size() != b.size()) {
    out = field + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " entries";
    return true;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (differs(out, field + "[" + std::to_string(i) + "]", a[i], b[i])) return true;
  }
  return false;
}

bool differs(std::string& out, const std::string& f, const TextPart& a, const TextPart& b) {
  return differs(out, f + ".origin", a.origin, b.origin) ||
         differs(out, f + ".text", a.text, b.text) ||
         differs(out, f + ".attachment", a.attachment, b.attachment) ||
         differs(out, f + ".quoted_original", a.quoted_original, b.quoted_original);
}

bool differs(std::string& out, const std::string& f, const StructuredReport& a,
             const StructuredReport& b) {
  return differs(out, f + ".format", a.format, b.format) ||
         differs(out, f + ".type", a.type, b.type) ||
         differs(out, f + ".category", a.category, b.category) ||
         differs(out, f + ".report_id", a.report_id, b.report_id) ||
         differs(out, f + ".sources", a.sources, b.sources) ||
         differs(out, f + ".urls", a.urls, b.urls) ||
         differs(out, f + ".victims", a.victims, b.victims) ||
         differs(out, f + ".destination_ports", a.destination_ports, b.destination_ports) ||
         differs(out, f + ".occurred", a.occurred, b.occurred) ||
         differs(out, f + ".brand", a.brand, b.brand) || differs(out, f + ".tlp", a.tlp, b.tlp) ||
         differs(out, f + ".csam", a.csam, b.csam) ||
         differs(out, f + ".problems", a.problems, b.problems);
}

}  // namespace

std::string first_difference(const ParsedMessage& a, const ParsedMessage& b) {
  std::string d;
  (void)(differs(d, "channel", a.channel, b.channel) ||
         differs(d, "from_address", a.from_address, b.from_address) ||
         differs(d, "from_name", a.from_name, b.from_name) ||
         differs(d, "subject", a.subject, b.subject) ||
         differs(d, "message_id", a.message_id, b.message_id) ||
         differs(d, "refs", a.refs, b.refs) ||
         differs(d, "embedded_message_ids", a.embedded_message_ids, b.embedded_message_ids) ||
         differs(d, "date", a.date, b.date) ||
         differs(d, "date_offset_minutes", a.date_offset_minutes, b.date_offset_minutes) ||
         differs(d, "received", a.received, b.received) ||
         differs(d, "automatic", a.automatic, b.automatic) ||
         differs(d, "relay_ips", a.relay_ips, b.relay_ips) ||
         differs(d, "relay_hosts", a.relay_hosts, b.relay_hosts) ||
         differs(d, "parts", a.parts, b.parts) || differs(d, "reports", a.reports, b.reports) ||
         differs(d, "signature", a.signature, b.signature) ||
         differs(d, "signer", a.signer, b.signer) ||
         differs(d, "encrypted", a.encrypted, b.encrypted) ||
         differs(d, "problems", a.problems, b.problems));
  return d;
}

}  // namespace kz::intake
