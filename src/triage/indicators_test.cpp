#include "triage/indicators.h"

#include <gtest/gtest.h>

#include "core/ip.h"
#include "core/url.h"
#include "triage/reporters.h"

namespace kz::triage {

namespace {
std::vector<std::string> values(const std::vector<Indicator>& in, IndicatorKind k) {
  std::vector<std::string> out;
  for (const auto& i : in) {
    if (i.kind == k) out.push_back(i.value);
  }
  return out;
}
}  // namespace

TEST(Indicators, FindsAddressesUrlsAndRefangs) {
  const auto found = extract_indicators(
      "Scan from 198.51.100.7:4455 and 2001:db8::dead:beef; site "
      "hxxp://evil[.]example[.]com/login.php?x=1.\n"
      "Block 203.0.113.0/24. Mail me at Soc@Example.JP. Version 1.2.3.4.5 is not an address.",
      &is_public_domain);
  EXPECT_EQ(values(found, IndicatorKind::kIp),
            (std::vector<std::string>{"198.51.100.7", "2001:db8::dead:beef"}));
  EXPECT_EQ(values(found, IndicatorKind::kUrl),
            std::vector<std::string>{"http://evil.example.com/login.php?x=1"});
  EXPECT_EQ(values(found, IndicatorKind::kCidr), std::vector<std::string>{"203.0.113.0/24"});
  EXPECT_EQ(values(found, IndicatorKind::kEmail), std::vector<std::string>{"soc@example.jp"});
}

TEST(Indicators, JapanesePunctuationEndsAUrl) {
  const auto found = extract_indicators(
      "フィッシングサイト：http://phish.example.com/bank/」を確認。", &is_public_domain);
  EXPECT_EQ(values(found, IndicatorKind::kUrl),
            std::vector<std::string>{"http://phish.example.com/bank/"});
}

TEST(Indicators, HashesAndDomains) {
  const auto found = extract_indicators(
      "md5 d41d8cd98f00b204e9800998ecf8427e seen on malware-host.example.net and in report.txt",
      &is_public_domain);
  EXPECT_EQ(values(found, IndicatorKind::kMd5),
            std::vector<std::string>{"d41d8cd98f00b204e9800998ecf8427e"});
  EXPECT_EQ(values(found, IndicatorKind::kDomain),
            std::vector<std::string>{"malware-host.example.net"});
}

TEST(Indicators, NoiseYieldsOnlyWellFormedIndicators) {
  // Binary noise, a scheme with no host and a run of colons: whatever is found must be a real
  // address, URL or domain (canonical, parseable), and the degenerate inputs yield nothing.
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>((i * 7919) % 256);
  for (const auto& ind : extract_indicators(noise, &is_public_domain)) {
    switch (ind.kind) {
      case IndicatorKind::kIp:
        EXPECT_TRUE(Ip::parse(ind.value)) << ind.value;
        break;
      case IndicatorKind::kCidr:
        EXPECT_TRUE(Cidr::parse(ind.value)) << ind.value;
        break;
      case IndicatorKind::kUrl:
        EXPECT_TRUE(Url::parse(ind.value)) << ind.value;
        break;
      case IndicatorKind::kDomain:
      case IndicatorKind::kEmail:
        EXPECT_NE(ind.value.find('.'), std::string::npos) << ind.value;
        break;
      default:  // hashes: hexadecimal digits only
        EXPECT_EQ(ind.value.find_first_not_of("0123456789abcdef"), std::string::npos) << ind.value;
    }
  }
  EXPECT_TRUE(extract_indicators("http://", &is_public_domain).empty());
  EXPECT_TRUE(extract_indicators("::::::::", &is_public_domain).empty());
}

}  // namespace kz::triage
