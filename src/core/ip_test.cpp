#include "core/ip.h"

#include <gtest/gtest.h>

namespace kz {

TEST(Ip, ParsesAndPrintsCanonically) {
  EXPECT_EQ(Ip::parse("192.0.2.1")->to_string(), "192.0.2.1");
  for (const char* v4 :
       {"0.0.0.0", "255.255.255.255", "10.0.100.9", "100.64.10.1", "1.20.199.250"}) {
    EXPECT_EQ(Ip::parse(v4)->to_string(), v4);
  }
  EXPECT_EQ(Ip::parse("2001:DB8:0:0::1")->to_string(), "2001:db8::1");
  EXPECT_FALSE(Ip::parse("192.0.2"));
  EXPECT_FALSE(Ip::parse("256.1.1.1"));
  EXPECT_FALSE(Ip::parse("1.2.3.4.5"));
  EXPECT_FALSE(Ip::parse(""));
}

TEST(Ip, KnowsPrivateAndDocumentationRanges) {
  EXPECT_TRUE(Ip::parse("10.1.2.3")->is_private_or_special());
  EXPECT_TRUE(Ip::parse("127.0.0.1")->is_private_or_special());
  EXPECT_TRUE(Ip::parse("169.254.169.254")->is_private_or_special());
  EXPECT_TRUE(Ip::parse("fe80::1")->is_private_or_special());
  EXPECT_FALSE(Ip::parse("8.8.8.8")->is_private_or_special());
  EXPECT_TRUE(Ip::parse("203.0.113.9")->is_documentation());
}

TEST(Cidr, ContainsAndMasksHostBits) {
  auto c = Cidr::parse("192.0.2.77/24");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->to_string(), "192.0.2.0/24");
  EXPECT_TRUE(c->contains(*Ip::parse("192.0.2.200")));
  EXPECT_FALSE(c->contains(*Ip::parse("192.0.3.1")));
  auto v6 = Cidr::parse("2001:db8::/32");
  EXPECT_TRUE(v6->contains(*Ip::parse("2001:db8:ffff::1")));
  EXPECT_FALSE(v6->contains(*Ip::parse("192.0.2.1")));
  EXPECT_FALSE(Cidr::parse("10.0.0.0/33"));
}

}  // namespace kz
