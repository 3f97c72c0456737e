#include "triage/indicators.h"

#include <array>

#include "core/ip.h"
#include "core/text.h"
#include "core/url.h"

namespace kz::triage {

namespace {

constexpr bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_label(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '_'; }

// Characters that may appear inside a URL as pasted in mail (stops at whitespace, quotes,
// angle brackets and non-ASCII such as Japanese punctuation).
bool url_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u >= 0x7f) return false;
  return c != '"' && c != '<' && c != '>' && c != '\'' && c != '`' && c != '{' && c != '}' &&
         c != '|' && c != '\\' && c != '^';
}

// Trailing punctuation that belongs to the sentence, not to the URL.
std::string_view trim_url_tail(std::string_view u) {
  while (!u.empty()) {
    const char c = u.back();
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*') {
      u.remove_suffix(1);
    } else if (c == ')' && u.find('(') == std::string_view::npos) {
      u.remove_suffix(1);
    } else if (c == ']' && u.find('[') == std::string_view::npos) {
      u.remove_suffix(1);
    } else {
      break;
    }
  }
  return u;
}

bool default_domain_check(std::string_view d) {
  const size_t dot = d.rfind('.');
  if (dot == std::string_view::npos || dot + 3 > d.size()) return false;
  for (char c : d.substr(dot + 1)) {
    if (!is_alpha(c)) return false;
  }
  return true;
}

// File names and similar that look like domains but are not.
bool looks_like_filename(std::string_view d) {
  static const char* kExt[] = {".txt",  ".log", ".zip", ".exe", ".php",  ".html", ".htm",
                               ".jpg",  ".png", ".gif", ".pdf", ".doc",  ".xls",  ".csv",
                               ".json", ".js",  ".css", ".asp", ".aspx", ".cgi",  ".pl",
                               ".sh",   ".py",  ".dll", ".scr", ".bat",  ".eml",  ".yaml"};
  for (const char* e : kExt) {
    const std::string_view ext(e);
    if (d.size() > ext.size() && iequals(d.substr(d.size() - ext.size()), ext)) return true;
  }
  return false;
}

// Characters after which an indicator cannot start (it would be the tail of a longer token).
constexpr std::array<bool, 256> kContinuesToken = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const char ch = static_cast<char>(c);
    t[c] = is_label(ch) || ch == '.' || ch == ':' || ch == '@' || ch == '/';
  }
  return t;
}();
bool continues_token(char c) { return kContinuesToken[static_cast<unsigned char>(c)]; }

class Scanner {
 public:
  Scanner(std::string_view text, DomainCheck check)
      : t_(text), check_(check ? check : default_domain_check) {}

  std::vector<Indicator> run() {
    size_t line_start = 0;
    size_t line = 0;
    size_t i = 0;
    while (i < t_.size()) {
      const char c = t_[i];
      if (c == '\n') {
        ++line;
        line_start = i + 1;
        ++i;
        continue;
      }
      if (i > 0 && continues_token(t_[i - 1])) {
        // Inside a token: nothing starts here. Skip to the next start or line break.
        for (++i; i < t_.size() && t_[i] != '\n' && continues_token(t_[i - 1]);) ++i;
        continue;
      }
      line_ = line;
      col_ = i - line_start;
      size_t next = i + 1;
      if ((c == 'h' || c == 'H' || c == 'f' || c == 'F') && (next = try_url(i)) > i) {
        i = next;
        continue;
      }
      if (is_hex(c) || c == ':') {
        if ((next = try_ip(i)) > i) {
          i = next;
          continue;
        }
      }
      if (is_hex(c) && (next = try_hash(i)) > i) {
        i = next;
        continue;
      }
      if (is_label(c) && (next = try_name(i)) > i) {
        i = next;
        continue;
      }
      // Skip the rest of this token so we do not restart inside it.
      if (is_label(c)) {
        while (i < t_.size() && is_label(t_[i])) ++i;
        continue;
      }
      ++i;
    }
    return std::move(out_);
  }

 private:
  void add(IndicatorKind k, std::string v) { out_.push_back({k, std::move(v), line_, col_}); }

  size_t try_url(size_t i) {
    const std::string_view rest = t_.substr(i, 10);
    if (!(istarts_with(rest, "http://") || istarts_with(rest, "https://") ||
          istarts_with(rest, "ftp://")))
      return i;
    size_t j = i;
    while (j < t_.size() && url_char(t_[j])) ++j;
    const std::string_view raw = trim_url_tail(t_.substr(i, j - i));
    if (auto u = Url::parse(raw)) {
      add(IndicatorKind::kUrl, u->to_string());
      return i + raw.size();
    }
    return j;
  }

  size_t try_ip(size_t i) {
    // Longest run of IP-ish characters, then shrink until it parses.
    size_t j = i;
    while (j < t_.size() && (is_hex(t_[j]) || t_[j] == '.' || t_[j] == ':') && j - i < 45) ++j;
    std::string_view cand = t_.substr(i, j - i);
    // An IPv4 address followed by ":port" is common in logs: take the address part.
    const bool has_dot = cand.find('.') != std::string_view::npos;
    const bool has_colon = cand.find(':') != std::string_view::npos;
    if (has_dot && has_colon && cand.find(':') > cand.find('.'))
      cand = cand.substr(0, cand.find(':'));
    while (!cand.empty() && (cand.back() == '.' || (cand.back() == ':' && !cand.ends_with("::"))))
      cand.remove_suffix(1);
    if (cand.size() < 7 && !has_colon) return i;
    auto ip = Ip::parse(cand);
    if (!ip && has_colon && !has_dot) return i;
    if (!ip) return i;
    // Reject when glued to more letters/digits (part of a longer token, e.g. a version string).
    const size_t end = i + cand.size();
    if (end < t_.size() && (is_alpha(t_[end]) || is_digit(t_[end]))) return i;
    if (ip->is_v4() && end + 1 < t_.size() && t_[end] == '.' && is_digit(t_[end + 1]))
      return i;                                     // 1.2.3.4.5
    if (!ip->is_v4() && cand.size() < 6) return i;  // "ab::" noise
    if (end < t_.size() && t_[end] == '/' && end + 1 < t_.size() && is_digit(t_[end + 1])) {
      size_t k = end + 1;
      while (k < t_.size() && is_digit(t_[k]) && k - end <= 3) ++k;
      if (auto c = Cidr::parse(t_.substr(i, k - i))) {
        add(IndicatorKind::kCidr, c->to_string());
        return k;
      }
    }
    add(IndicatorKind::kIp, ip->to_string());
    return end;
  }

  size_t try_hash(size_t i) {
    size_t j = i;
    while (j < t_.size() && is_hex(t_[j])) ++j;
    if (j < t_.size() && is_label(t_[j])) return i;
    const size_t n = j - i;
    bool letters = false;
    bool digits = false;
    for (size_t k = i; k < j; ++k) {
      letters = letters || is_alpha(t_[k]);
      digits = digits || is_digit(t_[k]);
    }
    if (!letters || !digits) return i;
    const IndicatorKind kind = n == 32   ? IndicatorKind::kMd5
                               : n == 40 ? IndicatorKind::kSha1
                               : n == 64 ? IndicatorKind::kSha256
                                         : IndicatorKind::kIp;
    if (kind == IndicatorKind::kIp) return i;
    add(kind, to_lower_ascii(t_.substr(i, n)));
    return j;
  }

  // A domain name, or an e-mail address when an '@' joins two parts.
  size_t try_name(size_t i) {
    size_t j = i;
    while (j < t_.size() && (is_label(t_[j]) || t_[j] == '.' || t_[j] == '+')) ++j;
    if (j < t_.size() && t_[j] == '@') {
      size_t k = j + 1;
      while (k < t_.size() && (is_label(t_[k]) || t_[k] == '.')) ++k;
      std::string_view domain = t_.substr(j + 1, k - j - 1);
      while (!domain.empty() && domain.back() == '.') domain.remove_suffix(1);
      if (domain.find('.') != std::string_view::npos && check_(to_lower_ascii(domain))) {
        add(IndicatorKind::kEmail,
            to_lower_ascii(t_.substr(i, j - i)) + "@" + to_lower_ascii(domain));
      }
      return j + 1 + domain.size();
    }
    std::string_view name = t_.substr(i, j - i);
    while (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.find('.') == std::string_view::npos || name.find('+') != std::string_view::npos)
      return j;
    if (name.size() > 253 || looks_like_filename(name)) return j;
    const std::string lower = to_lower_ascii(name);
    if (check_(lower)) add(IndicatorKind::kDomain, lower);
    return j;
  }

  std::string_view t_;
  DomainCheck check_;
  std::vector<Indicator> out_;
  size_t line_ = 0;
  size_t col_ = 0;
};

}  // namespace

std::string_view to_string(IndicatorKind k) {
  static constexpr std::string_view kNames[] = {"ip",    "cidr", "url",  "domain",
                                                "email", "md5",  "sha1", "sha256"};
  return kNames[static_cast<int>(k)];
}

std::vector<Indicator> extract_indicators(std::string_view text, DomainCheck is_domain) {
  return extract_indicators_refanged(refang(text), is_domain);
}

std::vector<Indicator> extract_indicators_refanged(std::string_view refanged,
                                                   DomainCheck is_domain) {
  return Scanner(refanged, is_domain).run();
}

}  // namespace kz::triage
