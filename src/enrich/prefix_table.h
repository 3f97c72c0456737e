// Longest-prefix match over IPv4 and IPv6 prefixes: an immutable table, built aside by a
// Builder and then only read, so lookups need no lock and a new snapshot can replace an old
// one atomically (std::shared_ptr swap) while lookups run.
//
// IPv4 uses DIR-24-8 (Gupta, Lin, McKeown 1998): a 2^24-entry first-level table indexed by the
// top 24 bits, and 256-entry second-level groups for the /24s that hold longer prefixes. A
// lookup is one or two memory reads. Memory: 64 MiB for the first level plus 1 KiB per /24
// that has longer prefixes. IPv6 uses the prefixes flattened into disjoint address ranges,
// each carrying its most specific prefix, and a binary search (about 18 steps for 200,000
// prefixes).
//
// Small tables (fewer than kDirThreshold IPv4 prefixes: directories, RDAP responses) skip the
// 64 MiB first level and use the flattened ranges for IPv4 too.
//
// Thread-safety: a built PrefixTable is immutable; any number of threads may look up at once.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

#include "core/ip.h"

namespace kz::enrich {

// 128-bit addresses (a GCC/Clang extension, hence __extension__ for -Wpedantic).
__extension__ using U128 = unsigned __int128;

class PrefixTable {
 public:
  class Builder {
   public:
    // Adds a prefix with the caller's value (an index into the caller's own records). The same
    // prefix added twice keeps the last value.
    void add(const Cidr& prefix, uint32_t value);
    std::shared_ptr<const PrefixTable> build() const;
    size_t size() const { return v4_.size() + v6_.size(); }

    struct V4 {
      uint32_t start;
      int length;
      uint32_t value;
    };
    struct V6 {
      U128 start;
      int length;
      uint32_t value;
    };

   private:
    std::vector<V4> v4_;
    std::vector<V6> v6_;
  };

  // The value of the longest prefix holding `ip`, or nullopt.
  std::optional<uint32_t> lookup(const Ip& ip) const;
  // The IPv4 hot path, address in host byte order.
  std::optional<uint32_t> lookup_v4(uint32_t host_order) const {
    if (!tbl24_) return lookup_v4_ranges(host_order);
    uint32_t e = tbl24_.get()[host_order >> 8];
    if (e & kGroupFlag) e = tbl8_[((e & ~kGroupFlag) << 8) | (host_order & 0xFF)];
    if (e == 0) return std::nullopt;
    return values_[e - 1];
  }
  std::optional<uint32_t> lookup_v6(U128 addr) const;

  static constexpr size_t kDirThreshold = 4096;

  size_t size() const { return prefixes_; }
  size_t memory_bytes() const;

 private:
  static constexpr uint32_t kGroupFlag = 0x80000000u;
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  PrefixTable() = default;
  std::optional<uint32_t> lookup_v4_ranges(uint32_t addr) const;
  void build_dir24(const std::vector<Builder::V4>& prefixes);

  // IPv4: entries are 0 (no prefix) or 1 + index into values_, or kGroupFlag | group number.
  // The first level is 2 MiB-aligned and advised to use huge pages: random lookups over 64 MiB
  // otherwise miss the TLB on nearly every access.
  struct FreeDeleter {
    void operator()(uint32_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint32_t[], FreeDeleter> tbl24_;
  std::vector<uint32_t> tbl8_;
  std::vector<uint32_t> values_;
  // Small IPv4 tables: range starts and values, as for IPv6.
  std::vector<uint32_t> v4_starts_;
  std::vector<uint32_t> v4_values_;
  // IPv6: range starts, ascending, and the value of each range (kNone: no prefix).
  std::vector<U128> v6_starts_;
  std::vector<uint32_t> v6_values_;
  size_t prefixes_ = 0;
};

// An IPv6 (or IPv4) address as a 128-bit number, network order of bits.
U128 to_u128(const Ip& ip);

}  // namespace kz::enrich
