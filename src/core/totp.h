// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP), as authenticator apps make
// them: HMAC-SHA-1, 30-second steps, 6 digits, the secret shared as base32 (RFC 4648) in an
// otpauth:// URI. Pure functions, thread-safe, except new_totp_secret() (the system's random
// source, also thread-safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace kz {

inline constexpr int64_t kTotpStepSeconds = 30;

// The time step `t` falls in: whole 30-second periods since the Unix epoch.
int64_t totp_step(Time t);
// The code of `step` for the raw `key`, zero-padded to `digits` (6 or 8).
std::string totp_code(std::string_view key, int64_t step, int digits = 6);

// RFC 4648 base32 without padding (what authenticator apps read), and back: upper or lower case,
// spaces and padding ignored; nullopt for any other character.
std::string base32_encode(std::string_view bytes);
std::optional<std::string> base32_decode(std::string_view text);

// 20 random bytes (160 bits, RFC 4226's recommended length), base32.
std::string new_totp_secret();
// The otpauth:// URI an authenticator app reads (as a QR code or typed in).
std::string totp_uri(std::string_view issuer, std::string_view account,
                     std::string_view base32_secret);

}  // namespace kz
