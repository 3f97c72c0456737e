#include "core/url.h"

#include <array>

#include "core/ip.h"
#include "core/text.h"

namespace kz {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string refang(std::string_view text) {
  // The defanged forms, longest first where one is the prefix of another. One pass over the
  // text: at each position the forms starting with that character are tried, so the cost is
  // one look at each byte (the text is whole mails; this runs for every message).
  static const std::pair<std::string_view, std::string_view> kForms[] = {{"hxxps[:]//", "https://"},
                                                                         {"hxxp[:]//", "http://"},
                                                                         {"hxxps", "https"},
                                                                         {"hxxp", "http"},
                                                                         {"fxp://", "ftp://"},
                                                                         {"[://]", "://"},
                                                                         {"[:]", ":"},
                                                                         {"[.]", "."},
                                                                         {"[dot]", "."},
                                                                         {"[@]", "@"},
                                                                         {"(.)", "."},
                                                                         {"(dot)", "."},
                                                                         {"{.}", "."}};
  // Most bytes start no form, and most h and f start words ("http", "from"): a table of the
  // first bytes and a look at the second ("x" or "X" after h and f) skip them before the forms
  // are tried.
  static constexpr auto kStarts = [] {
    std::array<bool, 256> t{};
    for (const char c : std::string_view("[({hHfF")) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  std::string out;
  size_t copied = 0;  // text[copied, i) is still to be appended to out
  for (size_t i = 0; i < text.size(); ++i) {
    if (!kStarts[static_cast<unsigned char>(text[i])]) continue;
    if (lower(text[i]) == 'h' || lower(text[i]) == 'f') {
      if (i + 1 == text.size() || lower(text[i + 1]) != 'x') continue;
    }
    for (const auto& [from, to] : kForms) {
      if (text.size() - i < from.size() || lower(text[i]) != from[0]) continue;
      if (!iequals(text.substr(i, from.size()), from)) continue;
      if (out.empty()) out.reserve(text.size());
      out.append(text.substr(copied, i - copied)).append(to);
      i += from.size() - 1;
      copied = i + 1;
      break;
    }
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  return out;
}

std::optional<Url> Url::parse(std::string_view text) {
  std::string_view s = trim(text);
  const size_t colon = s.find("://");
  if (colon == std::string_view::npos || colon == 0 || colon > 5) return std::nullopt;
  Url u;
  u.scheme = to_lower_ascii(s.substr(0, colon));
  if (u.scheme != "http" && u.scheme != "https" && u.scheme != "ftp") return std::nullopt;
  std::string_view rest = s.substr(colon + 3);
  const size_t path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view path = path_start == std::string_view::npos ? "" : rest.substr(path_start);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);  // drop userinfo
  std::string_view host = authority;
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
    if (!Ip::parse(host)) return std::nullopt;
  } else {
    const size_t pc = authority.rfind(':');
    if (pc != std::string_view::npos) {
      host = authority.substr(0, pc);
      port = authority.substr(pc + 1);
    }
  }
  u.host = to_lower_ascii(host);
  while (!u.host.empty() && u.host.back() == '.') u.host.pop_back();
  if (u.host.empty() || u.host.size() > 253) return std::nullopt;
  for (char c : u.host) {
    if (!host_char(c) && c != ':') return std::nullopt;
  }
  if (u.host.find('.') == std::string::npos && !Ip::parse(u.host)) return std::nullopt;
  if (!port.empty()) {
    int p = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || p > 65535) return std::nullopt;
      p = p * 10 + (c - '0');
    }
    if (p <= 0 || p > 65535) return std::nullopt;
    const bool default_port = (u.scheme == "http" && p == 80) ||
                              (u.scheme == "https" && p == 443) || (u.scheme == "ftp" && p == 21);
    u.port = default_port ? 0 : p;
  }
  const size_t hash = path.find('#');
  if (hash != std::string_view::npos) path = path.substr(0, hash);
  u.path = path.empty() || path[0] != '/' ? "/" + std::string(path) : std::string(path);
  return u;
}

std::string Url::to_string() const {
  std::string out = scheme + "://";
  if (host.find(':') != std::string::npos) {
    out += "[" + host + "]";
  } else {
    out += host;
  }
  if (port != 0) out += ":" + std::to_string(port);
  out += path;
  return out;
}

bool Url::host_is_ip() const { return Ip::parse(host).has_value(); }

}  // namespace kz
