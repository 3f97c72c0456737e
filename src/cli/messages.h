// What the command line says to people, in Japanese and English. Keys are stable identifiers;
// an unknown key is returned as itself so a missing translation is visible, never a crash.
#pragma once

#include <string>
#include <string_view>

namespace kz::cli {

std::string_view tr(std::string_view lang, std::string_view key);

}  // namespace kz::cli
