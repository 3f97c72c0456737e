#include "coord/masking.h"

#include <algorithm>

#include "core/ip.h"
#include "core/text.h"
#include "core/url.h"

namespace kz::coord {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_local_char(char c) {
  return is_digit(c) || is_alpha(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(char c) { return is_digit(c) || is_alpha(c) || c == '.' || c == '-'; }

// Four groups of 1-3 digits joined by dots at `i`: the length, or 0.
size_t dotted_quad_at(std::string_view s, size_t i) {
  size_t p = i;
  for (int group = 0; group < 4; ++group) {
    if (group > 0) {
      if (p >= s.size() || s[p] != '.') return 0;
      ++p;
    }
    const size_t start = p;
    while (p < s.size() && p - start < 3 && is_digit(s[p])) ++p;
    if (p == start) return 0;
  }
  return p - i;
}

std::string mask_ipv4(std::string_view s, std::string_view keep) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (is_digit(s[i])) {
      if (const size_t n = dotted_quad_at(s, i)) {
        const std::string_view quad = s.substr(i, n);
        out += quad == keep ? quad : std::string_view("x.x.x.x");
        i += n;
        continue;
      }
    }
    out += s[i++];
  }
  return out;
}

// local@domain.tld: the local part as far left as its characters go, the domain up to its
// last ".letters" label.
std::string mask_mail(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t copied = 0;  // s[0, copied) is in `out`
  size_t at = s.find('@');
  while (at != std::string_view::npos) {
    size_t left = at;
    while (left > copied && is_local_char(s[left - 1])) --left;
    size_t right = at + 1;
    while (right < s.size() && is_domain_char(s[right])) ++right;
    // The last '.' in the domain run followed by two or more letters ends the address.
    size_t end = 0;
    for (size_t dot = right; dot > at + 2;) {
      --dot;
      if (s[dot] != '.') continue;
      size_t letters = dot + 1;
      while (letters < right && is_alpha(s[letters])) ++letters;
      if (letters - dot - 1 >= 2) {
        end = letters;
        break;
      }
    }
    if (left < at && end != 0) {
      out.append(s.substr(copied, left - copied)).append("[address removed]");
      copied = end;
      at = s.find('@', end);
    } else {
      at = s.find('@', at + 1);
    }
  }
  out.append(s.substr(copied));
  return out;
}

// Runs of hex digits, ':' and '.' holding a ':' that read as an IPv6 address.
std::string mask_ipv6(std::string_view s, std::string_view keep) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (!is_hex(s[i]) && s[i] != ':') {
      out += s[i++];
      continue;
    }
    size_t j = i;
    bool colon = false;
    while (j < s.size() && (is_hex(s[j]) || s[j] == ':' || s[j] == '.')) colon |= s[j++] == ':';
    const std::string_view run = s.substr(i, j - i);
    // 45 bytes is the longest text form (IPv4-mapped with every zero written).
    const auto ip = colon && run.size() >= 3 && run.size() <= 45 ? Ip::parse(run) : std::nullopt;
    out += ip && !ip->is_v4() && run != keep ? std::string_view("x:x:x:x") : run;
    i = j;
  }
  return out;
}

}  // namespace

std::string mask_reporter_identifiers(std::string_view line, std::string_view keep_ip) {
  return mask_ipv6(mask_mail(mask_ipv4(line, keep_ip)), keep_ip);
}

std::vector<std::string> evidence_for_site(const std::vector<std::string_view>& texts,
                                           std::string_view url, std::string_view ip,
                                           std::string_view host) {
  constexpr size_t kMaxLines = 8;        // a notice quotes a few lines, not the report
  constexpr size_t kMaxLineBytes = 200;  // a log line; longer ones are cut
  std::vector<std::string> out;
  const auto site = url.find("://") != std::string_view::npos ? Url::parse(url) : std::nullopt;
  // The URL without its scheme: "host/path" (or "host" for the root), as it appears in text.
  std::string site_key;
  if (site) site_key = site->host + (site->path == "/" ? "" : site->path);
  const std::string_view name = site ? std::string_view(site->host) : (ip.empty() ? host : ip);
  for (const auto text : texts) {
    for (const auto raw : split_lines(text)) {
      const std::string line = refang(trim(raw));
      if (line.empty()) continue;
      const bool has_url = line.find("://") != std::string::npos;
      bool take = false;
      if (site && ifind(line, site_key) != std::string_view::npos) {
        take = line.size() >= site_key.size() + 12;  // more than the bare URL
      } else if (!has_url) {
        take = (!name.empty() && ifind(line, name) != std::string_view::npos) ||
               (!ip.empty() && line.find(ip) != std::string::npos);
      }
      if (!take) continue;
      const std::string masked = mask_reporter_identifiers(utf8_prefix(line, kMaxLineBytes), ip);
      if (std::find(out.begin(), out.end(), masked) == out.end()) out.push_back(masked);
      if (out.size() >= kMaxLines) return out;
    }
  }
  return out;
}

}  // namespace kz::coord
