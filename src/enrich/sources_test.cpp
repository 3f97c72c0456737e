#include "enrich/sources.h"

#include <gtest/gtest.h>

namespace kz::enrich {

TEST(Sources, Pfx2asWithMultiOriginAndBadLines) {
  auto p = parse_pfx2as(
      "1.0.0.0\t24\t13335\n"
      "203.0.113.0\t24\t64500_64501\n"
      "2001:db8::\t32\t64510\n"
      "198.51.100.0\t33\t1\n"
      "garbage\n"
      "192.0.2.0\t24\t{64502,64503}\n");
  ASSERT_EQ(p.entries.size(), 4u);
  EXPECT_EQ(p.entries[1].origins, (std::vector<uint32_t>{64500, 64501}));
  EXPECT_EQ(p.entries[2].prefix.to_string(), "2001:db8::/32");
  EXPECT_EQ(p.entries[3].origins, (std::vector<uint32_t>{64502, 64503}));
  ASSERT_EQ(p.problems.size(), 2u);
  EXPECT_EQ(p.problems[0].line, 4u);
  EXPECT_NE(p.problems[0].message.find("bad prefix"), std::string::npos);
  EXPECT_EQ(p.problems[1].line, 5u);
}

TEST(Sources, DelegatedSplitsIpv4CountsIntoBlocks) {
  auto d = parse_delegated(
      "2|apnic|20081101|3|19850701|20081031|+1000\n"
      "apnic|*|ipv4|*|2|summary\n"
      "apnic|JP|ipv4|202.0.0.0|768|20000101|allocated\n"
      "apnic|jp|ipv6|2001:200::|32|19990813|allocated\n"
      "apnic|JP|asn|2500|1|19900101|assigned\n"
      "apnic||ipv4|203.0.0.0|256|20000101|available\n"
      "apnic|KR|ipv4|not-an-ip|256|20000101|allocated\n");
  ASSERT_EQ(d.entries.size(), 3u);
  EXPECT_EQ(d.entries[0].prefix.to_string(), "202.0.0.0/23");
  EXPECT_EQ(d.entries[1].prefix.to_string(), "202.0.2.0/24");
  EXPECT_EQ(d.entries[2].prefix.to_string(), "2001:200::/32");
  EXPECT_EQ(d.entries[2].country, "JP");
  EXPECT_EQ(d.entries[0].registry, "apnic");
  ASSERT_EQ(d.problems.size(), 1u);
  EXPECT_EQ(d.problems[0].line, 7u);
}

TEST(Sources, As2orgCaidaAndPlain) {
  auto c = parse_as2org(
      "# format:aut|changed|aut_name|org_id|opaque_id|source\n"
      "2500|20080101|WIDE-BB|ORG-WIDE|x|APNIC\n"
      "# format:org_id|changed|name|country|source\n"
      "ORG-WIDE|20080101|WIDE Project|JP|APNIC\n");
  ASSERT_EQ(c.entries.size(), 1u);
  EXPECT_EQ(c.entries[0].asn, 2500u);
  EXPECT_EQ(c.entries[0].name, "WIDE Project");
  EXPECT_EQ(c.entries[0].country, "JP");
  auto p = parse_as2org("AS64500|Example Hosting|de\n64501|Other|US\nnope\n");
  ASSERT_EQ(p.entries.size(), 2u);
  EXPECT_EQ(p.entries[0].country, "DE");
  EXPECT_EQ(p.problems.size(), 1u);
}

TEST(Sources, RangeToCidrs) {
  auto v = range_to_cidrs(Ip::parse("10.0.0.0")->v4_value(), 1536);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0].to_string(), "10.0.0.0/22");
  EXPECT_EQ(v[1].to_string(), "10.0.4.0/23");
  EXPECT_EQ(range_to_cidrs(0, uint64_t{1} << 32)[0].to_string(), "0.0.0.0/0");
}

}  // namespace kz::enrich
