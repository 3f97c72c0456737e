#include "store/locator.h"

namespace kz::store {

bool is_postgres_url(std::string_view locator) {
  return locator.starts_with("postgresql://") || locator.starts_with("postgres://");
}

namespace {

// Replaces the value of every `password=` parameter of a URL's query string.
std::string redact_password_parameters(std::string s) {
  static constexpr std::string_view kKey = "password=";
  size_t from = s.find('?');
  while (from != std::string::npos) {
    const size_t key = s.find(kKey, from);
    if (key == std::string::npos) break;
    const bool starts_parameter = key > 0 && (s[key - 1] == '?' || s[key - 1] == '&');
    const size_t value = key + kKey.size();
    if (!starts_parameter) {
      from = value;
      continue;
    }
    size_t end = s.find('&', value);
    if (end == std::string::npos) end = s.size();
    s.replace(value, end - value, "***");
    from = value + 3;
  }
  return s;
}

}  // namespace

std::string redact_locator(std::string_view locator) {
  if (!is_postgres_url(locator)) return std::string(locator);
  std::string s(locator);
  const size_t authority = s.find("://") + 3;
  size_t authority_end = s.find_first_of("/?", authority);
  if (authority_end == std::string::npos) authority_end = s.size();
  // The last '@' ends the user information (a password may itself hold '@' only percent-encoded,
  // but a careless one is still hidden whole).
  const size_t at = s.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority) {
    const size_t colon = s.find(':', authority);
    if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
  }
  return redact_password_parameters(std::move(s));
}

}  // namespace kz::store
