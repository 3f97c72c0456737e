#include "triage/assess.h"

#include <gtest/gtest.h>

#include "intake/mime.h"

namespace kz::triage {

namespace {

Assessment assess_mail(const std::string& mail) {
  auto m = intake::parse_email(mail, intake::MimeOptions{});
  EXPECT_TRUE(m) << m.error().to_string();
  return assess(*m, TriageConfig{});
}

std::vector<std::string> reported_ips(const Assessment& a) {
  std::vector<std::string> out;
  for (const auto& s : a.incidents) out.push_back(s.ip.empty() ? "host:" + s.host : s.ip);
  return out;
}

}  // namespace

TEST(Assess, JapaneseScanReportKeepsTheVictimOutAndTheRelaysOut) {
  const auto a = assess_mail(
      "Received: from mx.reporter.ne.jp (mx.reporter.ne.jp [203.0.113.77]) by mx.centre.example.jp; "
      "Tue, 15 Apr 2008 10:22:33 +0900\n"
      "From: soc@reporter.ne.jp\nSubject: ポートスキャンの報告\nDate: Tue, 15 Apr 2008 10:20:00 +0900\n\n"
      "当社のサーバ (192.0.2.10) に対して 198.51.100.23 からポートスキャンがありました。\n"
      "Apr 15 03:12:44 fw kernel: IN=eth0 OUT= SRC=198.51.100.23 DST=192.0.2.10 PROTO=TCP SPT=4411 DPT=5900\n"
      "Apr 15 03:12:45 fw kernel: IN=eth0 OUT= SRC=198.51.100.24 DST=192.0.2.10 PROTO=TCP SPT=4412 DPT=5900\n");
  EXPECT_EQ(a.purpose, Purpose::kIncident);
  EXPECT_EQ(a.cls.type, IncidentType::kScan);
  EXPECT_EQ(reported_ips(a), (std::vector<std::string>{"198.51.100.23", "198.51.100.24"}));
  ASSERT_EQ(a.incidents[0].ports.size(), 1u);
  EXPECT_EQ(a.incidents[0].ports[0].port, 5900);
  EXPECT_EQ(a.reporter.tld, "jp");
}

TEST(Assess, PhishingUrlsBindToTheirHostingAddressAndBrand) {
  const auto a = assess_mail(
      "From: phishing@brand-protect.com\nSubject: Phishing sites imitating PayPal\n\n"
      "Please take down these phishing sites:\n"
      "hxxp://paypal-login.example-host[.]com/webscr/ (198.51.100.45)\n"
      "URL: http://secure-update.example.net/pp/\nIP: 198.51.100.46\n"
      "http://198.51.100.47/paypal/login.php\n"
      "http://unresolved.example.org/x\n");
  EXPECT_EQ(a.cls.type, IncidentType::kPhishing);
  EXPECT_EQ(reported_ips(a), (std::vector<std::string>{"198.51.100.45", "198.51.100.46", "198.51.100.47",
                                                       "host:unresolved.example.org"}));
  EXPECT_EQ(a.incidents[0].urls, std::vector<std::string>{"http://paypal-login.example-host.com/webscr/"});
  EXPECT_EQ(a.brand, "PayPal");
  EXPECT_EQ(a.brand_origin, "foreign");
}

// A URL on the reporter's own domain (here known only from the relay that handed the mail over,
// in any letter case) is the reporter's site, not a reported one. A name under a public suffix
// beneath that domain (s3.amazonaws.com under amazonaws.com) belongs to someone else.
TEST(Assess, UrlsOnTheRelaysOwnDomainAreNotReported) {
  const auto a = assess_mail(
      "Received: from MX2.Hosting-Reporter.example.com (mx2.hosting-reporter.example.com [203.0.113.77]) "
      "by mx.centre.example.jp; Tue, 15 Apr 2008 10:22:33 +0900\n"
      "Received: from bucket.s3.amazonaws.com (bucket.s3.amazonaws.com [203.0.113.78]) "
      "by mx2.hosting-reporter.example.com; Tue, 15 Apr 2008 10:22:30 +0900\n"
      "From: noc@gmail.com\nSubject: Phishing sites imitating PayPal\n\n"
      "Please take down these phishing sites:\n"
      "http://www.hosting-reporter.example.com/paypal/\n"
      "http://paypal-check.amazonaws.com/login/\n"
      "http://paypal-login.example-host.com/webscr/\n");
  EXPECT_EQ(reported_ips(a), (std::vector<std::string>{"host:paypal-check.amazonaws.com",
                                                       "host:paypal-login.example-host.com"}));
}

TEST(Assess, QuestionsWithoutAddressesAreNotIncidents) {
  const auto a = assess_mail("From: someone@example.co.jp\nSubject: インシデント対応に関する質問\n\n"
                             "ログの保存期間について教えてください。\n");
  EXPECT_EQ(a.purpose, Purpose::kQuestion);
  EXPECT_TRUE(a.incidents.empty());
}

TEST(Assess, IntrusionTags) {
  const auto a = assess_mail("From: admin@example.ac.jp\nSubject: サーバへの不正侵入\n\n"
                             "198.51.100.80 からSQLインジェクション攻撃を受けて侵入され、メール送信ツールを設置されました。\n");
  EXPECT_EQ(a.cls.type, IncidentType::kIntrusion);
  EXPECT_EQ(reported_ips(a), std::vector<std::string>{"198.51.100.80"});
  EXPECT_EQ(a.tags, (std::vector<std::string>{"method:sql-injection", "after:mail-tool"}));
}

// Found by fuzzing: a defanged URL the extractor accepts but the URL parser refuses (a port
// after an empty label) was dereferenced unparsed. It is kept as mentioned, never reported.
TEST(Assess, UrlTheParserRefusesIsKeptButNotReported) {
  const auto a = assess_mail("From: a@reporter.example\nSubject: phishing\n\nURL: hxxp://phish[.]example[.]:22:33\n");
  for (const auto& i : a.indicators) {
    if (i.kind == "url") {
      EXPECT_EQ(i.role, "mentioned") << i.value;
    }
  }
  for (const auto& s : a.incidents) EXPECT_TRUE(s.urls.empty());
}

}  // namespace kz::triage
