#include "intake/structured.h"

#include <gtest/gtest.h>

namespace kz::intake {

TEST(Structured, ReadsXarfV4) {
  auto r = parse_json_report(R"({"xarf_version":"4.2.0","report_id":"abc","category":"connection",
    "type":"port_scan","source_identifier":"198.51.100.150","destination_ip":"203.0.113.50",
    "ports_scanned":[21,22,"80"],"protocol":"TCP","reporter":{"contact":"a@b.example"}})");
  ASSERT_TRUE(r) << r.error().to_string();
  EXPECT_EQ(r->format, "xarf-4");
  EXPECT_EQ(r->sources, std::vector<std::string>{"198.51.100.150"});
  EXPECT_EQ(r->victims, std::vector<std::string>{"203.0.113.50"});
  EXPECT_EQ(r->destination_ports, (std::vector<int>{21, 22, 80}));
  EXPECT_EQ(r->protocol, "tcp");
}

TEST(Structured, FlagsCsam) {
  auto r = parse_json_report(
      R"({"xarf_version":"4","category":"content","type":"csam","url":"http://x.example/a"})");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->csam);
}

TEST(Structured, ReadsXarf02AndArf) {
  auto x = parse_xarf02(
      "Reported-From: a@b.example\nCategory: abuse\nReport-Type: login-attack\n"
      "Source: 198.51.100.7\nSource-Type: ipv4\nPort: 22\nReport-ID: 77\n");
  ASSERT_TRUE(x);
  EXPECT_EQ(x->type, "login-attack");
  EXPECT_EQ(x->sources, std::vector<std::string>{"198.51.100.7"});
  EXPECT_EQ(x->destination_ports, std::vector<int>{22});
  auto a = parse_arf(
      "Feedback-Type: abuse\nSource-IP: 192.0.2.1\nReported-URI: <http://spam.example/x>\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->sources, std::vector<std::string>{"192.0.2.1"});
  EXPECT_EQ(a->urls, std::vector<std::string>{"http://spam.example/x"});
}

TEST(Structured, ClearErrorsForWrongDocuments) {
  auto bad = parse_json_report("{not json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("not valid JSON"), std::string::npos);
  auto other = parse_json_report(R"({"hello":1})");
  ASSERT_FALSE(other);
  EXPECT_NE(other.error().message.find("neither X-ARF"), std::string::npos);
  EXPECT_FALSE(parse_arf("Source-IP: 1.2.3.4\n")) << "Feedback-Type is required";
}

TEST(Structured, FormDocumentBecomesAMessage) {
  auto m = parse_json_message(R"({"purpose":"incident","type":"phishing","subject":"Phishing site",
    "description":"A fake bank page","urls":["hxxp://bank-login[.]example[.]com/"],
    "reporter":{"email":"Someone@Example.JP","disclose":false},"tlp":"AMBER",
    "submitted_at":"2008-04-15T10:00:00+09:00"})");
  ASSERT_TRUE(m) << m.error().to_string();
  EXPECT_EQ(m->channel, "form");
  EXPECT_EQ(m->from_address, "someone@example.jp");
  ASSERT_EQ(m->reports.size(), 1u);
  EXPECT_EQ(m->reports[0].urls, std::vector<std::string>{"http://bank-login.example.com/"});
  EXPECT_EQ(m->reports[0].tlp, "AMBER");
  ASSERT_TRUE(m->received);
  EXPECT_EQ(format_utc(*m->received), "2008-04-15T01:00:00Z");
}

}  // namespace kz::intake
