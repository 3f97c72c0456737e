// URLs as reported: parsed leniently (reporters paste them from browsers, logs and mails),
// normalised so that the same site compares equal: scheme and host lower-case, default port
// dropped, an empty path written "/", fragment removed. Defanged forms are refanged first.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kz {

struct Url {
  std::string scheme;  // "http", "https", "ftp"
  std::string host;    // lower-case; IPv6 without brackets
  int port = 0;        // 0 = the scheme's default
  std::string path;    // path + query, at least "/"

  // Returns nullopt unless `text` is an absolute http(s)/ftp URL with a plausible host.
  static std::optional<Url> parse(std::string_view text);
  std::string to_string() const;
  bool host_is_ip() const;
};

// Undoes the usual defanging: hxxp/hXXp/hxxps -> http(s), "[.]" "(.)" "{.}" "[dot]" -> ".",
// "[:]" -> ":", "[://]" -> "://", "[@]" -> "@". Text without such forms is returned unchanged.
std::string refang(std::string_view text);

}  // namespace kz
