#include "server/http.h"

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace kz::server {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 &&
               hex_digit(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string() : it->second;
}

Response Response::error(int status, std::string_view code, std::string_view message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  // Text from a request may be quoted in a message: never let invalid UTF-8 stop the answer.
  return json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

void split_target(std::string_view target, std::string& path,
                  std::map<std::string, std::string>& query) {
  const size_t q = target.find('?');
  path = std::string(target.substr(0, q));
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    if (!pair.empty()) {
      query[decode(pair.substr(0, eq))] =
          eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

std::string client_address(const std::string& peer, std::string_view forwarded_for,
                           const std::vector<Cidr>& trusted) {
  auto is_trusted = [&](const Ip& ip) {
    for (const auto& c : trusted) {
      if (c.contains(ip)) return true;
    }
    return false;
  };
  auto at = Ip::parse(peer);
  if (!at || !is_trusted(*at)) return peer;
  std::string client = peer;
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view entry =
        trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    auto ip = Ip::parse(entry);
    if (!ip) return client;  // not an address: stop at the last one believed
    client = ip->to_string();
    if (!is_trusted(*ip)) return client;
  }
  return client;
}

}  // namespace kz::server
