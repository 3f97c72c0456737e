#include "coord/notices.h"

#include <gtest/gtest.h>

namespace kz::coord {

namespace {

store::NoticeCandidate site(store::Id id, const std::string& url, const std::string& ip, const std::string& country,
                            const std::string& route, const std::string& state = "new") {
  store::NoticeCandidate c;
  c.site = id;
  c.url = url;
  c.ip = ip;
  c.state = state;
  c.country = country;
  c.route = route;
  c.cls.type = IncidentType::kPhishing;
  c.reported_at = Time{std::chrono::seconds{1208221200}};  // 2008-04-15T01:00:00Z
  return c;
}

}  // namespace

TEST(Notices, OneNoticePerResponderListingAllTheirSitesInTheirLanguage) {
  const std::string jp = R"({"to":["abuse@sakura.example.jp"],"cc":[],"reason":"domestic: Sakura administers the address"})";
  const std::string de = R"({"to":["abuse@hosting.example.de"],"cc":["certbund@bsi.bund.de"],"reason":"abroad"})";
  const std::vector<store::NoticeCandidate> c = {
      site(1, "http://a.example/login", "203.0.113.10", "JP", jp),
      site(2, "http://b.example/login", "203.0.113.11", "JP", jp, "revived"),
      site(3, "http://c.example/x", "192.0.2.77", "DE", de),
  };
  NoticeOptions opt;
  opt.centre = "Example CSIRT";
  const auto plan = plan_notices(c, NoticeTemplates::defaults(), opt);
  ASSERT_EQ(plan.size(), 2u) << "two responders, two notices";
  const auto& ja = plan[1].language == "ja" ? plan[1] : plan[0];
  const auto& en = plan[1].language == "ja" ? plan[0] : plan[1];
  EXPECT_EQ(ja.to, std::vector<std::string>{"abuse@sakura.example.jp"});
  EXPECT_EQ(ja.sites, (std::vector<store::Id>{1, 2}));
  EXPECT_EQ(ja.tag, "[Kizuna#1]");
  EXPECT_NE(ja.subject.find("[Kizuna#1]"), std::string::npos);
  EXPECT_NE(ja.subject.find("2 件"), std::string::npos);
  EXPECT_NE(ja.body.find("http://b.example/login"), std::string::npos);
  EXPECT_NE(ja.body.find("再び表示"), std::string::npos) << "the revived site says so";
  EXPECT_NE(ja.body.find("2008-04-15T01:00:00Z (UTC) / 2008-04-15 10:00:00 +0900"), std::string::npos);
  EXPECT_TRUE(ja.renotice);
  EXPECT_EQ(en.cc, std::vector<std::string>{"certbund@bsi.bund.de"});
  EXPECT_NE(en.body.find("This is Example CSIRT"), std::string::npos);
  EXPECT_NE(en.body.find("We chose this address because: abroad"), std::string::npos);
  EXPECT_EQ(en.body.find("{{"), std::string::npos) << "every placeholder filled";
}

TEST(Notices, CsamAndUnroutedSitesAreNeverNotified) {
  auto csam = site(1, "http://bad.example/", "198.51.100.66", "US", R"({"to":["abuse@x.example"]})");
  csam.csam = true;
  const auto none = site(2, "http://c.example/", "198.51.100.67", "US", R"({"to":[],"reason":"nothing known"})");
  EXPECT_TRUE(plan_notices({csam, none}, NoticeTemplates::defaults(), NoticeOptions{}).empty());
}

}  // namespace kz::coord
