// Small helpers for the TOML data files (rules, brands, reporter directory).
#pragma once

#include <toml.hpp>

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/text.h"

namespace kz::triage {

// The array of tables `[[key]]` of `doc`, by value (empty when absent). toml::find_or with a
// temporary default would hand back a reference to that temporary.
inline std::vector<toml::value> array_of_tables(const toml::value& doc, const char* key) {
  if (!doc.contains(key)) return {};
  return toml::find<std::vector<toml::value>>(doc, key);
}

// toml11 parses nested arrays and inline tables by recursion, one call per level with no limit:
// `a = ` and five thousand '[' overflow the stack. True when `text` nests arrays or inline
// tables deeper than `max_depth` (strings and comments are skipped); callers refuse such a file
// before toml::parse sees it. Linear in the text.
inline bool toml_nests_too_deep(std::string_view text, int max_depth = 64) {
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '#') {
      i = text.find('\n', i);
      if (i == std::string_view::npos) return false;
    } else if (c == '"' || c == '\'') {
      const std::string_view triple = c == '"' ? "\"\"\"" : "'''";
      if (text.substr(i, 3) == triple) {
        i = text.find(triple, i + 3);
        if (i == std::string_view::npos) return false;
        i += 2;
        continue;
      }
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i) {
        if (c == '"' && text[i] == '\\') ++i;
      }
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// Parses a TOML document from `text`, refusing first what toml11 (3.7) cannot parse safely:
// nesting deeper than 64 (stack overflow) and bytes that are not UTF-8 (its error path for an
// invalid string reads outside the buffer; TOML requires UTF-8 anyway). Throws
// std::runtime_error naming the refusal, or toml11's exceptions for other syntax errors; the
// message names `origin`.
inline toml::value parse_toml_text(std::string_view text, const std::string& origin) {
  if (toml_nests_too_deep(text)) {
    throw std::runtime_error("arrays or tables nested more than 64 deep");
  }
  if (const size_t at = first_invalid_utf8(text); at != std::string_view::npos) {
    throw std::runtime_error("not UTF-8 at byte " + std::to_string(at));
  }
  std::istringstream in{std::string(text)};
  return toml::parse(in, origin);
}

}  // namespace kz::triage
