// SHA-256 (FIPS 180-4), used to content-address raw input. Pure, thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace kz {

// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace kz
