#include "enrich/prefix_table.h"

#include <gtest/gtest.h>

#include <random>

namespace kz::enrich {

namespace {

Cidr C(const char* s) { return *Cidr::parse(s); }
Ip I(const char* s) { return *Ip::parse(s); }

}  // namespace

TEST(PrefixTable, MoreSpecificPrefixWins) {
  PrefixTable::Builder b;
  b.add(C("198.51.0.0/16"), 1);
  b.add(C("198.51.100.0/24"), 2);
  b.add(C("198.51.100.128/25"), 3);
  b.add(C("198.51.100.200/32"), 4);
  auto t = b.build();
  EXPECT_EQ(t->lookup(I("198.51.1.1")), 1u);
  EXPECT_EQ(t->lookup(I("198.51.100.1")), 2u);
  EXPECT_EQ(t->lookup(I("198.51.100.129")), 3u);
  EXPECT_EQ(t->lookup(I("198.51.100.200")), 4u);
  EXPECT_EQ(t->lookup(I("198.51.100.201")), 3u);
  EXPECT_FALSE(t->lookup(I("198.52.0.1")));
  EXPECT_EQ(t->size(), 4u);
}

TEST(PrefixTable, DefaultRouteAndDuplicates) {
  PrefixTable::Builder b;
  b.add(C("0.0.0.0/0"), 9);
  b.add(C("203.0.113.0/24"), 1);
  b.add(C("203.0.113.0/24"), 2);  // the same prefix again: last value wins
  b.add(C("::/0"), 19);
  b.add(C("2001:db8::/32"), 11);
  auto t = b.build();
  EXPECT_EQ(t->lookup(I("8.8.8.8")), 9u);
  EXPECT_EQ(t->lookup(I("203.0.113.7")), 2u);
  EXPECT_EQ(t->lookup(I("2001:db8:1::1")), 11u);
  EXPECT_EQ(t->lookup(I("2400::1")), 19u);
  EXPECT_EQ(t->lookup(I("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")), 19u);
}

TEST(PrefixTable, Ipv6NestedAndAdjacent) {
  PrefixTable::Builder b;
  b.add(C("2001:db8::/32"), 1);
  b.add(C("2001:db8:10::/48"), 2);
  b.add(C("2001:db8:11::/48"), 3);
  b.add(C("2001:db8:10:ff00::/56"), 4);
  b.add(C("2a01::/16"), 5);
  auto t = b.build();
  EXPECT_EQ(t->lookup(I("2001:db8::1")), 1u);
  EXPECT_EQ(t->lookup(I("2001:db8:10::1")), 2u);
  EXPECT_EQ(t->lookup(I("2001:db8:10:ff00::1")), 4u);
  EXPECT_EQ(t->lookup(I("2001:db8:10:fe00::1")), 2u);
  EXPECT_EQ(t->lookup(I("2001:db8:10:ffff::1")), 4u);
  EXPECT_EQ(t->lookup(I("2001:db8:11:1::")), 3u);
  EXPECT_EQ(t->lookup(I("2001:db8:12::")), 1u);
  EXPECT_FALSE(t->lookup(I("2001:db9::")));
  EXPECT_EQ(t->lookup(I("2a01:ffff::1")), 5u);
  EXPECT_FALSE(t->lookup(I("2a02::1")));
}

// Random nested prefixes against a brute-force longest match.
TEST(PrefixTable, MatchesBruteForceOnRandomTables) {
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    PrefixTable::Builder b;
    std::vector<std::pair<Cidr, uint32_t>> all;
    for (uint32_t i = 0; i < 400; ++i) {
      const uint32_t base = 0xC6330000u | (rng() & 0xFFFF);  // inside 198.51.0.0/16: many overlaps
      const int len = 12 + static_cast<int>(rng() % 21);
      Cidr c(Ip::v4(base), len);
      b.add(c, i);
      all.emplace_back(c, i);
      if (rng() % 4 == 0) {
        Cidr c6(*Ip::parse("2001:db8::"), 32);
        U128 addr = (static_cast<U128>(0x20010db8u) << 96) | (static_cast<U128>(rng()) << 64);
        char buf[64];
        std::snprintf(
            buf, sizeof buf, "2001:db8:%x:%x::/%d", static_cast<unsigned>((addr >> 80) & 0xFFFF),
            static_cast<unsigned>((addr >> 64) & 0xFFFF), 32 + static_cast<int>(rng() % 33));
        Cidr r = *Cidr::parse(buf);
        b.add(r, 100000 + i);
        all.emplace_back(r, 100000 + i);
        (void)c6;
      }
    }
    auto t = b.build();
    for (int q = 0; q < 3000; ++q) {
      Ip ip = Ip::v4(0xC6330000u | (rng() & 0xFFFF));
      if (q % 3 == 0) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "2001:db8:%x:%x::%x", static_cast<unsigned>(rng() & 0xFFFF),
                      static_cast<unsigned>(rng() & 0xFFFF), static_cast<unsigned>(rng() & 0xFFFF));
        ip = *Ip::parse(buf);
      }
      std::optional<uint32_t> want;
      int best = -1;
      for (const auto& [c, v] : all) {
        if (c.contains(ip) && c.length() >= best) {
          best = c.length();
          want = v;
        }
      }
      ASSERT_EQ(t->lookup(ip), want) << ip.to_string();
    }
  }
}

// Above the threshold the table switches to DIR-24-8; both layouts must give the brute-force
// longest match.
TEST(PrefixTable, DirAndRangeLayoutsMatchBruteForce) {
  std::mt19937 rng(11);
  PrefixTable::Builder big;
  PrefixTable::Builder small;
  std::vector<std::pair<Cidr, uint32_t>> all;
  for (uint32_t i = 0; i < PrefixTable::kDirThreshold + 500; ++i) {
    // Clustered in 198.0.0.0/8 so that prefixes nest and /25../32 share /24s.
    Cidr c(Ip::v4(0xC6000000u | (rng() & 0x00FFFFFF)), 8 + static_cast<int>(rng() % 25));
    big.add(c, i);
    small.add(c, i);
    all.emplace_back(c, i);
  }
  auto dir = big.build();
  EXPECT_GT(dir->memory_bytes(), size_t{64} << 20) << "DIR-24-8 first level";
  for (int q = 0; q < 3000; ++q) {
    const uint32_t a = 0xC6000000u | (rng() & 0x00FFFFFF);
    std::optional<uint32_t> want;
    int best = -1;
    for (const auto& [c, v] : all) {
      if (c.contains(Ip::v4(a)) && c.length() >= best) {
        best = c.length();
        want = v;
      }
    }
    ASSERT_EQ(dir->lookup_v4(a), want) << Ip::v4(a).to_string();
  }
  PrefixTable::Builder few;
  for (size_t i = 0; i < 100; ++i) few.add(all[i].first, all[i].second);
  EXPECT_LT(few.build()->memory_bytes(), size_t{1} << 20) << "small tables stay small";
}

}  // namespace kz::enrich
