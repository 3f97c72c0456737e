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

std::string mail_domain(std::string_view address) {
  const size_t at = address.rfind('@');
  return to_lower_ascii(at == std::string_view::npos ? address : address.substr(at + 1));
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
  const char* const last =
      haystack.data() + (haystack.size() - needle.size()) + 1;  // past the last start
  while (p < last) {
    const auto* a = static_cast<const char*>(std::memchr(p, lo, static_cast<size_t>(last - p)));
    const char* end = a ? a : last;
    const auto* b =
        up == lo ? nullptr
                 : static_cast<const char*>(std::memchr(p, up, static_cast<size_t>(end - p)));
    const char* c = b ? b : a;
    if (!c) return std::string_view::npos;
    if (iequals(std::string_view(c + 1, rest.size()), rest))
      return static_cast<size_t>(c - haystack.data());
    p = c + 1;
  }
  return std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  // A loop, not find_first_not_of: that calls memchr on the six-character set for every byte
  // it looks at, and trim runs on every line and header of every message.
  auto ws = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
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

namespace {

// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7), or 0 when the bytes
// there are not one. The second byte's range excludes overlong forms (E0, F0), surrogates (ED)
// and code points above U+10FFFF (F4), which PostgreSQL refuses and toml11 mishandles.
size_t utf8_sequence_at(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned lead = byte(0);
  if (lead < 0x80) return 1;
  size_t len = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size() || byte(1) < lo || byte(1) > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
  }
  return len;
}

}  // namespace

size_t first_invalid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = utf8_sequence_at(s, i);
    if (len == 0) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  size_t run = 0;  // start of the bytes not yet copied: valid text is copied in runs
  while (i < s.size()) {
    const size_t len = s[i] == '\0' ? 0 : utf8_sequence_at(s, i);  // NUL is never useful text
    if (len > 0) {
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

std::string fold_for_search(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xEF && i + 2 < s.size()) {
      // U+FF01..U+FF3F is EF BC 81..BF, U+FF40..U+FF5E is EF BD 80..9E.
      const auto b1 = static_cast<unsigned char>(s[i + 1]);
      const auto b2 = static_cast<unsigned char>(s[i + 2]);
      unsigned code = 0;
      if (b1 == 0xBC && b2 >= 0x81 && b2 <= 0xBF) code = 0xFF00 + (b2 - 0x80);
      if (b1 == 0xBD && b2 >= 0x80 && b2 <= 0x9E) code = 0xFF40 + (b2 - 0x80);
      if (code) {
        const char ascii = static_cast<char>(code - 0xFEE0);
        out += (ascii >= 'A' && ascii <= 'Z') ? static_cast<char>(ascii - 'A' + 'a') : ascii;
        i += 2;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {  // U+3000 IDEOGRAPHIC SPACE
      out += ' ';
      i += 2;
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  return out;
}

size_t utf8_length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
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

namespace {

// The length of the control character at `s[i]` (0 when there is none): one byte for C0 and DEL,
// two for C1 (U+0080..U+009F), three for U+2028/9, U+202A..E and U+2066..9.
size_t control_at(std::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x20 || b == 0x7f) return 1;
  if (b == 0xc2 && i + 1 < s.size()) {
    const auto c = static_cast<unsigned char>(s[i + 1]);
    if (c >= 0x80 && c <= 0x9f) return 2;
  }
  if (b == 0xe2 && i + 2 < s.size()) {
    const auto c = static_cast<unsigned char>(s[i + 1]);
    const auto d = static_cast<unsigned char>(s[i + 2]);
    if (c == 0x80 && d >= 0xa8 && d <= 0xae) return 3;  // U+2028..U+202E
    if (c == 0x81 && d >= 0xa6 && d <= 0xa9) return 3;  // U+2066..U+2069
  }
  return 0;
}

}  // namespace

std::string one_line(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (const size_t n = control_at(s, i)) {
      out += ' ';
      i += n;
    } else {
      out += s[i++];
    }
  }
  return out;
}

std::string terminal_safe(std::string_view s, bool keep_newlines) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = control_at(s, i);
    if (n == 0 || (keep_newlines && (s[i] == '\n' || s[i] == '\t'))) {
      out += s[i++];
      continue;
    }
    if (n == 1) {
      const auto b = static_cast<unsigned char>(s[i]);
      out.append("\\x").append(1, kHex[b >> 4]).append(1, kHex[b & 15]);
    } else {
      // The code point of a two- or three-byte sequence.
      const auto b = [&](size_t k) {
        return static_cast<unsigned>(static_cast<unsigned char>(s[i + k]));
      };
      const unsigned cp = n == 2 ? ((b(0) & 0x1f) << 6) | (b(1) & 0x3f)
                                 : ((b(0) & 0x0f) << 12) | ((b(1) & 0x3f) << 6) | (b(2) & 0x3f);
      out.append("\\u");
      for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(cp >> shift) & 15];
    }
    i += n;
  }
  return out;
}

}  // namespace kz
