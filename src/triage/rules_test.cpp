#include "triage/rules.h"

#include <gtest/gtest.h>

#include "triage/brands.h"
#include "triage/reporters.h"

namespace kz::triage {

TEST(Rules, ShippedDefaultsLoad) {
  auto r = Rules::defaults();
  EXPECT_GT(r->types().size(), 10u);
}

TEST(Rules, KeywordsInSubjectOutweighTheBody) {
  auto r = Rules::defaults();
  auto v = r->classify("フィッシングサイトの報告", "このサイトをスキャンしたところ", {});
  ASSERT_TRUE(v.cls);
  EXPECT_EQ(v.cls->type, IncidentType::kPhishing);
  EXPECT_EQ(v.cls->rsit_taxonomy, "fraud");
}

TEST(Rules, LogsPointToScanAndIntrusionWordsWin) {
  auto r = Rules::defaults();
  auto scan = r->classify("report", "see attached", {LogKind::kSshd});
  ASSERT_TRUE(scan.cls);
  EXPECT_EQ(scan.cls->type, IncidentType::kScan);
  EXPECT_EQ(scan.cls->rsit_type, "brute-force");
  auto intrusion =
      r->classify("サーバに侵入されました",
                  "辞書攻撃でパスワードを破られ、Webページを改ざんされました", {LogKind::kSshd});
  ASSERT_TRUE(intrusion.cls);
  EXPECT_EQ(intrusion.cls->type, IncidentType::kIntrusion);
  EXPECT_EQ(intrusion.tags, (std::vector<std::string>{"method:brute-force", "after:tampering"}));
}

TEST(Rules, StructuredTypes) {
  auto r = Rules::defaults();
  EXPECT_EQ(r->structured("connection", "port_scan")->type, IncidentType::kScan);
  EXPECT_EQ(r->structured("content", "phishing")->type, IncidentType::kPhishing);
  EXPECT_EQ(r->structured("messaging", "bulk_messaging")->subtype, "spam");
  EXPECT_EQ(r->structured("abuse", "abuse")->subtype, "spam") << "ARF Feedback-Type abuse";
  EXPECT_FALSE(r->structured("nothing", "known"));
}

TEST(Rules, NonIncidentPurposes) {
  auto r = Rules::defaults();
  EXPECT_EQ(r->classify("インシデント対応についての質問", "", {}).purpose_hint, Purpose::kQuestion);
  EXPECT_EQ(r->classify("For your information", "", {}).purpose_hint, Purpose::kInformation);
}

TEST(Rules, VictimAndAttackerPhrases) {
  auto r = Rules::defaults();
  EXPECT_TRUE(r->victim_context("当社のサーバ (", ") に対して "));
  EXPECT_FALSE(r->victim_context(") に対して ", " からポートスキャン"));
  EXPECT_TRUE(r->victim_context("attacks against our server ", ""));
  EXPECT_FALSE(r->victim_context("our server was attacked by ", ""));
  EXPECT_FALSE(r->victim_context("your server ", " is attacking us")) << "'your' is not 'our'";
}

TEST(Rules, BadRulesFileSaysWhy) {
  auto r = Rules::parse("[[type]]\ntype = \"nonsense\"\n", "my.toml");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("nonsense"), std::string::npos);
  EXPECT_EQ(r.error().context, "my.toml");
  EXPECT_FALSE(Rules::parse("not = [toml", "x.toml"));
}

TEST(Brands, DomesticAndForeign) {
  auto b = BrandList::defaults();
  EXPECT_EQ(b->match("三井住友銀行を装ったフィッシング")->country, "JP");
  EXPECT_EQ(b->match("a fake PayPal login")->name, "PayPal");
  EXPECT_FALSE(b->match("a credential phishing page of unclear origin"));
}

TEST(Reporters, TldKindAndDomestic) {
  auto d = ReporterDirectory::defaults();
  auto jp = d->describe("Security@Kumo-Net.ne.jp", "JP");
  EXPECT_EQ(jp.tld, "jp");
  EXPECT_EQ(jp.org_domain, "kumo-net.ne.jp");
  EXPECT_TRUE(jp.domestic);
  EXPECT_EQ(jp.kind, "isp");
  EXPECT_EQ(d->describe("info@jpcert.or.jp", "JP").kind, "csirt");
  EXPECT_EQ(d->describe("someone@gmail.com", "JP").kind, "individual");
  auto de = d->describe("abuse@example-hosting.de", "JP");
  EXPECT_EQ(de.tld, "de");
  EXPECT_FALSE(de.domestic);
}

}  // namespace kz::triage
