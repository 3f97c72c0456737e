#include "triage/assess.h"

#include <gtest/gtest.h>

#include "intake/mime.h"
#include "intake/structured.h"

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
      "Received: from mx.reporter.ne.jp (mx.reporter.ne.jp [203.0.113.77]) by "
      "mx.centre.example.jp; "
      "Tue, 15 Apr 2008 10:22:33 +0900\n"
      "From: soc@reporter.ne.jp\nSubject: ポートスキャンの報告\nDate: Tue, 15 Apr 2008 10:20:00 "
      "+0900\n\n"
      "当社のサーバ (192.0.2.10) に対して 198.51.100.23 からポートスキャンがありました。\n"
      "Apr 15 03:12:44 fw kernel: IN=eth0 OUT= SRC=198.51.100.23 DST=192.0.2.10 PROTO=TCP SPT=4411 "
      "DPT=5900\n"
      "Apr 15 03:12:45 fw kernel: IN=eth0 OUT= SRC=198.51.100.24 DST=192.0.2.10 PROTO=TCP SPT=4412 "
      "DPT=5900\n");
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
  EXPECT_EQ(reported_ips(a),
            (std::vector<std::string>{"198.51.100.45", "198.51.100.46", "198.51.100.47",
                                      "host:unresolved.example.org"}));
  EXPECT_EQ(a.incidents[0].urls,
            std::vector<std::string>{"http://paypal-login.example-host.com/webscr/"});
  EXPECT_EQ(a.brand, "PayPal");
  EXPECT_EQ(a.brand_origin, "foreign");
}

// A URL on the reporter's own domain (here known only from the relay that handed the mail over,
// in any letter case) is the reporter's site, not a reported one. A name under a public suffix
// beneath that domain (s3.amazonaws.com under amazonaws.com) belongs to someone else.
TEST(Assess, UrlsOnTheRelaysOwnDomainAreNotReported) {
  const auto a = assess_mail(
      "Received: from MX2.Hosting-Reporter.example.com (mx2.hosting-reporter.example.com "
      "[203.0.113.77]) "
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
  const auto a = assess_mail(
      "From: someone@example.co.jp\nSubject: インシデント対応に関する質問\n\n"
      "ログの保存期間について教えてください。\n");
  EXPECT_EQ(a.purpose, Purpose::kQuestion);
  EXPECT_TRUE(a.incidents.empty());
}

TEST(Assess, IntrusionTags) {
  const auto a = assess_mail(
      "From: admin@example.ac.jp\nSubject: サーバへの不正侵入\n\n"
      "198.51.100.80 "
      "からSQLインジェクション攻撃を受けて侵入され、メール送信ツールを設置されました。\n");
  EXPECT_EQ(a.cls.type, IncidentType::kIntrusion);
  EXPECT_EQ(reported_ips(a), std::vector<std::string>{"198.51.100.80"});
  EXPECT_EQ(a.tags, (std::vector<std::string>{"method:sql-injection", "after:mail-tool"}));
}

// Found by fuzzing: a defanged URL the extractor accepts but the URL parser refuses (a port
// after an empty label) was dereferenced unparsed. It is kept as mentioned, never reported.
TEST(Assess, UrlTheParserRefusesIsKeptButNotReported) {
  const auto a = assess_mail(
      "From: a@reporter.example\nSubject: phishing\n\nURL: hxxp://phish[.]example[.]:22:33\n");
  for (const auto& i : a.indicators) {
    if (i.kind == "url") {
      EXPECT_EQ(i.role, "mentioned") << i.value;
    }
  }
  for (const auto& s : a.incidents) EXPECT_TRUE(s.urls.empty());
}

// Newcomer report items 3-4: a 17 MB log whose address is in the Subject lost its whole body to
// the text limit and was filed as a non-incident. Now the text is cut at the limit (at a line
// end), the reason says so once, and the log still makes the incident.
TEST(Assess, TextOverTheLimitIsCutNotDropped) {
  std::string mail =
      "From: rep@example.co.jp\nSubject: SSH brute force from 198.51.100.77\n"
      "Date: Tue, 15 Apr 2008 10:10:00 +0900\n\n";
  const std::string line =
      "Apr 15 10:00:00 h sshd[1]: Failed password for root from 198.51.100.77 port 22 ssh2\n";
  for (int i = 0; i < 2000; ++i) mail += line;
  intake::MimeOptions mo;
  mo.limits.max_text_bytes = 100'000;  // the log is 170 KB
  auto m = intake::parse_email(mail, mo);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->problems.size(), 1u);
  EXPECT_NE(m->problems[0].find("cut at the limit"), std::string::npos);
  ASSERT_EQ(m->parts.size(), 1u);
  EXPECT_LE(m->parts[0].text.size(), 100'000u);
  EXPECT_TRUE(m->parts[0].text.ends_with("ssh2\n"));
  const Assessment a = assess(*m, TriageConfig{});
  EXPECT_EQ(a.purpose, Purpose::kIncident);
  EXPECT_EQ(reported_ips(a), std::vector<std::string>{"198.51.100.77"});
}

// Newcomer report items 8, 48-49: X-ARF port lists cost time in proportion to entries times
// distinct ports. Now a list is read up to max_items_per_message (said once) and ports are
// counted in linear time.
TEST(Assess, PortFloodsAreCappedAndCountedInLinearTime) {
  std::string ports;
  for (int i = 0; i < 300'000; ++i) ports += (i ? "," : "") + std::to_string(i % 65535 + 1);
  const std::string doc = R"({"xarf_version":"4.0.0","category":"connection","type":"port_scan",)"
                          R"("source_identifier":"198.51.100.15","ports_scanned":[)" +
                          ports + "]}";
  auto m = intake::parse_json_message(doc, 200'000);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->problems.size(), 1u);
  EXPECT_NE(m->problems[0].find("only the first 200000 read"), std::string::npos) << m->problems[0];
  const Assessment a = assess(*m, TriageConfig{});
  ASSERT_EQ(a.incidents.size(), 1u);
  ASSERT_EQ(a.incidents[0].ports.size(), 65535u);
  int hits = 0;
  for (const auto& p : a.incidents[0].ports) hits += p.hits;
  EXPECT_EQ(hits, 200'000);
  EXPECT_EQ(a.incidents[0].ports[0].port, 1);  // first seen first
  EXPECT_EQ(a.incidents[0].ports[0].hits, 4);  // 1, 65536, 131071, 196606
}

}  // namespace kz::triage
