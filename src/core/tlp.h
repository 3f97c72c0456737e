// The Traffic Light Protocol (FIRST TLP 2.0) as markings arrive in reports: "TLP:AMBER",
// "amber", "TLP:WHITE" (TLP 1.0, read as CLEAR). What a marking allows is decided by app/ and
// server/ (docs/security.md); this reads markings only.
#pragma once

#include <optional>
#include <string_view>

namespace kz {

enum class Tlp { kClear, kGreen, kAmber, kAmberStrict, kRed };

// The marking in `s`: surrounding white space and case ignored, with or without the "TLP:"
// prefix; WHITE is CLEAR. nullopt for an empty or unknown marking. Pure.
std::optional<Tlp> parse_tlp(std::string_view s);
// "CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED".
const char* to_string(Tlp t);
// True for a TLP:RED marking. The store's report filter (store/sql/queries.cpp) reads markings
// the same way: upper(trim(tlp)) is RED or TLP:RED.
inline bool is_tlp_red(std::string_view s) { return parse_tlp(s) == Tlp::kRed; }
// The marking that applies: `marking`, or `default_marking` ([centre] default_tlp) when it is
// blank. The store's report filter reads a blank marking the same way.
inline std::string_view effective_tlp(std::string_view marking, std::string_view default_marking) {
  for (char c : marking) {
    if (c != ' ' && c != '\t') return marking;
  }
  return default_marking;
}

}  // namespace kz
