// IPv4 and IPv6 addresses and prefixes as values. Parsing is strict (inet_pton rules:
// no leading zeros ambiguity, no zone ids); printing is canonical (RFC 5952 for IPv6), so
// the printed form can be used as a key in the store.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kz {

class Ip {
 public:
  enum class Family : uint8_t { kV4, kV6 };

  Ip() = default;
  static Ip v4(uint32_t host_order);
  // Returns nullopt unless `text` is exactly one IPv4 or IPv6 address.
  static std::optional<Ip> parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  // IPv4 in host byte order; only meaningful when is_v4().
  uint32_t v4_value() const;
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  std::string to_string() const;

  // Addresses that can never be the subject of a report to a third party: loopback,
  // RFC 1918 / ULA private, link-local, unspecified, multicast, broadcast, CGNAT.
  bool is_private_or_special() const;
  // The documentation ranges (TEST-NET-1/2/3, 2001:db8::/32): valid in examples.
  bool is_documentation() const;

  auto operator<=>(const Ip&) const = default;

 private:
  Family family_ = Family::kV4;
  std::array<uint8_t, 16> bytes_{};  // IPv4 in the first four bytes, network order
};

class Cidr {
 public:
  Cidr() = default;
  Cidr(Ip network, int length);
  // "192.0.2.0/24", "2001:db8::/32", or a bare address (host prefix).
  static std::optional<Cidr> parse(std::string_view text);

  const Ip& network() const { return network_; }
  int length() const { return length_; }
  bool contains(const Ip& ip) const;
  std::string to_string() const;
  auto operator<=>(const Cidr&) const = default;

 private:
  Ip network_;
  int length_ = 0;
};

}  // namespace kz
