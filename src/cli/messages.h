// What the command line says to people, in Japanese and English. Keys are stable identifiers;
// an unknown key is returned as itself so a missing translation is visible, never a crash.
#pragma once

#include <string>
#include <string_view>

namespace kz::cli {

std::string_view tr(std::string_view lang, std::string_view key);

// An error message in `lang`: the known English start of a message (error_catalog in
// messages.cpp) replaced by its Japanese, the rest (a path, a value, SQLite's words) kept.
// Messages not in the catalogue stay English.
std::string translate_error(std::string_view lang, std::string_view message);

}  // namespace kz::cli
