#include "core/ip.h"

#include <initializer_list>
#include <vector>

#include <arpa/inet.h>

#include <cstring>

namespace kz {

Ip Ip::v4(uint32_t host_order) {
  Ip ip;
  ip.family_ = Family::kV4;
  ip.bytes_[0] = static_cast<uint8_t>(host_order >> 24);
  ip.bytes_[1] = static_cast<uint8_t>(host_order >> 16);
  ip.bytes_[2] = static_cast<uint8_t>(host_order >> 8);
  ip.bytes_[3] = static_cast<uint8_t>(host_order);
  return ip;
}

std::optional<Ip> Ip::parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  char buf[46];
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  Ip ip;
  if (text.find(':') == std::string_view::npos) {
    in_addr a{};
    if (inet_pton(AF_INET, buf, &a) != 1) return std::nullopt;
    ip.family_ = Family::kV4;
    std::memcpy(ip.bytes_.data(), &a, 4);
    return ip;
  }
  in6_addr a{};
  if (inet_pton(AF_INET6, buf, &a) != 1) return std::nullopt;
  ip.family_ = Family::kV6;
  std::memcpy(ip.bytes_.data(), &a, 16);
  return ip;
}

uint32_t Ip::v4_value() const {
  return (uint32_t{bytes_[0]} << 24) | (uint32_t{bytes_[1]} << 16) | (uint32_t{bytes_[2]} << 8) |
         uint32_t{bytes_[3]};
}

std::string Ip::to_string() const {
  if (is_v4()) {
    // By hand: inet_ntop goes through sprintf, and triage formats every address it meets.
    std::string out;
    out.reserve(15);
    for (int i = 0; i < 4; ++i) {
      const unsigned v = bytes_[static_cast<size_t>(i)];
      if (i) out += '.';
      if (v >= 100) out += static_cast<char>('0' + v / 100);
      if (v >= 10) out += static_cast<char>('0' + v / 10 % 10);
      out += static_cast<char>('0' + v % 10);
    }
    return out;
  }
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

namespace {

// The special ranges, parsed once: these checks run for every address a message names.
std::vector<Cidr> parse_all(std::initializer_list<const char*> list) {
  std::vector<Cidr> out;
  for (const char* c : list) out.push_back(*Cidr::parse(c));
  return out;
}

bool in_any(const Ip& ip, const std::vector<Cidr>& ranges) {
  for (const auto& c : ranges) {
    if (c.contains(ip)) return true;
  }
  return false;
}

}  // namespace

bool Ip::is_private_or_special() const {
  static const std::vector<Cidr> kV4 =
      parse_all({"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                 "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"});
  static const std::vector<Cidr> kV6 =
      parse_all({"::/128", "::1/128", "fc00::/7", "fe80::/10", "ff00::/8"});
  return in_any(*this, is_v4() ? kV4 : kV6);
}

bool Ip::is_documentation() const {
  static const std::vector<Cidr> kV4 =
      parse_all({"192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"});
  static const std::vector<Cidr> kV6 = parse_all({"2001:db8::/32"});
  return in_any(*this, is_v4() ? kV4 : kV6);
}

Cidr::Cidr(Ip network, int length) : network_(network), length_(length) {
  // Clear host bits so equal prefixes compare equal.
  auto bytes = network_.bytes();
  const int total = network_.is_v4() ? 32 : 128;
  for (int bit = length; bit < total; ++bit)
    bytes[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
  Ip masked = network_;
  if (network_.is_v4()) {
    masked = Ip::v4((uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                    (uint32_t{bytes[2]} << 8) | bytes[3]);
  } else {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    masked = *Ip::parse(buf);
  }
  network_ = masked;
}

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const size_t slash = text.find('/');
  auto ip = Ip::parse(text.substr(0, slash));
  if (!ip) return std::nullopt;
  const int max = ip->is_v4() ? 32 : 128;
  int len = max;
  if (slash != std::string_view::npos) {
    const std::string_view n = text.substr(slash + 1);
    if (n.empty() || n.size() > 3) return std::nullopt;
    len = 0;
    for (char c : n) {
      if (c < '0' || c > '9') return std::nullopt;
      len = len * 10 + (c - '0');
    }
    if (len > max) return std::nullopt;
  }
  return Cidr(*ip, len);
}

bool Cidr::contains(const Ip& ip) const {
  if (ip.family() != network_.family()) return false;
  const auto& a = ip.bytes();
  const auto& b = network_.bytes();
  int bits = length_;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xFF : static_cast<uint8_t>(0xFF << (8 - bits));
    if ((a[i] & mask) != (b[i] & mask)) return false;
  }
  return true;
}

std::string Cidr::to_string() const { return network_.to_string() + "/" + std::to_string(length_); }

}  // namespace kz
