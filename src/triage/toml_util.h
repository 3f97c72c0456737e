// Small helpers for the TOML data files (rules, brands, reporter directory).
#pragma once

#include <toml.hpp>

#include <vector>

namespace kz::triage {

// The array of tables `[[key]]` of `doc`, by value (empty when absent). toml::find_or with a
// temporary default would hand back a reference to that temporary.
inline std::vector<toml::value> array_of_tables(const toml::value& doc, const char* key) {
  if (!doc.contains(key)) return {};
  return toml::find<std::vector<toml::value>>(doc, key);
}

}  // namespace kz::triage
