#include "core/text.h"

#include <algorithm>
#include <cstring>

namespace kz {

namespace {
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

size_t ifind(std::string_view haystack, std::string_view needle, size_t from) {
  if (needle.empty()) return from <= haystack.size() ? from : std::string_view::npos;
  if (haystack.size() < needle.size() || from > haystack.size() - needle.size()) {
    return std::string_view::npos;
  }
  // Candidates are found with memchr (vectorised) for the first byte in either case; only
  // there is the rest compared.
  const char lo = lower(needle[0]);
  const char up = (lo >= 'a' && lo <= 'z') ? static_cast<char>(lo - 'a' + 'A') : lo;
  const std::string_view rest = needle.substr(1);
  const char* p = haystack.data() + from;
  const char* const last = haystack.data() + (haystack.size() - needle.size()) + 1;  // past the last start
  while (p < last) {
    const auto* a = static_cast<const char*>(std::memchr(p, lo, static_cast<size_t>(last - p)));
    const char* end = a ? a : last;
    const auto* b = up == lo ? nullptr : static_cast<const char*>(std::memchr(p, up, static_cast<size_t>(end - p)));
    const char* c = b ? b : a;
    if (!c) return std::string_view::npos;
    if (iequals(std::string_view(c + 1, rest.size()), rest)) return static_cast<size_t>(c - haystack.data());
    p = c + 1;
  }
  return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  // A loop, not find_first_not_of: that calls memchr on the six-character set for every byte
  // it looks at, and trim runs on every line and header of every message.
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; };
  size_t b = 0;
  size_t e = s.size();
  while (b < e && ws(s[b])) ++b;
  while (e > b && ws(s[e - 1])) --e;
  return s.substr(b, e - b);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    const size_t p = s.find(sep, start);
    if (p == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, p - start));
    start = p + 1;
  }
}

std::vector<std::string_view> split_lines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t p = s.find('\n', start);
    if (p == std::string_view::npos) p = s.size();
    size_t end = p;
    if (end > start && s[end - 1] == '\r') --end;
    out.push_back(s.substr(start, end - start));
    start = p + 1;
  }
  return out;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  size_t run = 0;  // start of the bytes not yet copied: valid text is copied in runs
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x01 && c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    if ((c & 0xE0) == 0xC0 && c >= 0xC2)
      len = 2;
    else if ((c & 0xF0) == 0xE0)
      len = 3;
    else if ((c & 0xF8) == 0xF0 && c <= 0xF4)
      len = 4;
    bool ok = len > 0 && i + len <= s.size();  // NUL (len 0) is never useful in text we store
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    }
    if (ok) {
      i += len;
      continue;
    }
    out.append(s.data() + run, i - run);
    out.append("\xEF\xBF\xBD");
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  return out;
}

std::string_view utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string hex_encode(const unsigned char* data, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out(n * 2, '0');
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0xF];
  }
  return out;
}

}  // namespace kz
