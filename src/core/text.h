// Small string helpers shared by every module. All functions are pure and thread-safe.
// Case folding is ASCII-only on purpose: it must never alter multi-byte UTF-8 sequences.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kz {

std::string to_lower_ascii(std::string_view s);
// The domain of a mail address (after its last '@'), lower-case; the whole text without one.
std::string mail_domain(std::string_view address);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
// Case-insensitive (ASCII) substring search; returns npos like std::string_view::find.
size_t ifind(std::string_view haystack, std::string_view needle, size_t from = 0);
std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
// Splits into lines, accepting \n and \r\n; the line terminators are not included.
std::vector<std::string_view> split_lines(std::string_view s);
// Replaces every byte that does not start a well-formed UTF-8 sequence (Unicode Table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF), and NUL, by U+FFFD, so that every
// stored string is text PostgreSQL and TOML parsers accept.
std::string sanitize_utf8(std::string_view s);
// Offset of the first byte of `s` that does not start a well-formed UTF-8 sequence (as for
// sanitize_utf8; NUL is well-formed here), or npos when `s` is valid UTF-8.
size_t first_invalid_utf8(std::string_view s);
// At most `max_bytes` of `s`, cut at a UTF-8 character boundary (never inside a character).
std::string_view utf8_prefix(std::string_view s, size_t max_bytes);
// The form in which text is searched (stored messages and the query alike): ASCII letters
// lower-cased, and the full-width forms of ASCII (U+FF01..U+FF5E, as Japanese input methods
// type "ＰａｙＰａｌ") and the ideographic space made ASCII first, so that a search matches
// however the letters were typed. Nothing else changes (kana, kanji and other scripts are
// matched as written), and the result is valid UTF-8 whenever the input is.
std::string fold_for_search(std::string_view s);
// The number of UTF-8 code points in `s` (continuation bytes are not counted).
size_t utf8_length(std::string_view s);
std::string hex_encode(const unsigned char* data, size_t n);

// Text from outside on one line, for a mail Kizuna composes: every control character (C0 with
// CR, LF and TAB; DEL; C1), the Unicode line and paragraph separators and the bidirectional
// overrides become a space, so an encoded Subject that decodes to CRLF cannot start a line of
// its own. Other bytes are kept as they are.
std::string one_line(std::string_view s);

// Text for a terminal: the same characters, but kept visible as escapes ("\x1b", "\u202e")
// instead of acting on the screen; `keep_newlines` leaves '\n' (and '\t') as they are.
std::string terminal_safe(std::string_view s, bool keep_newlines);

}  // namespace kz
