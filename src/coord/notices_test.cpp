#include "coord/notices.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "coord/masking.h"
#include "core/text.h"

namespace kz::coord {

namespace {

store::NoticeCandidate site(store::Id id, const std::string& url, const std::string& ip,
                            const std::string& country, const std::string& route,
                            const std::string& state = "new") {
  store::NoticeCandidate c;
  c.site = id;
  c.url = url;
  c.ip = ip;
  c.state = *store::parse_site_state(state);
  c.country = country;
  c.route = route;
  c.cls.type = IncidentType::kPhishing;
  c.reported_at = Time{std::chrono::seconds{1208221200}};  // 2008-04-15T01:00:00Z
  return c;
}

const std::string kJp =
    R"({"to":["abuse@sakura.example.jp"],"cc":[],"reason":"domestic: Sakura administers the address",
  "reason_ja":"国内: Sakura がアドレスを管理しています","org":"Sakura","org_kind":"isp","language":"ja","escalate":{"to":["info@jpcert.example"],"reason":"no response: JPCERT"}})";
const std::string kDe =
    R"({"to":["abuse@hosting.example.de"],"cc":["certbund@bsi.bund.de"],"reason":"abroad","format":"xarf"})";

NoticeOptions options() {
  NoticeOptions opt;
  opt.centre = "Example CSIRT";
  return opt;
}

}  // namespace

TEST(Notices, OneNoticePerResponderListingAllTheirSitesInTheirLanguage) {
  const std::vector<store::NoticeCandidate> c = {
      site(1, "http://a.example/login", "203.0.113.10", "JP", kJp),
      site(2, "http://b.example/login", "203.0.113.11", "JP", kJp, "revived"),
      site(3, "http://c.example/x", "192.0.2.77", "DE", kDe),
  };
  const auto plan =
      plan_notices(c, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  ASSERT_EQ(plan.size(), 2u) << "two responders, two notices";
  const auto& ja = plan[1].language == "ja" ? plan[1] : plan[0];
  const auto& en = plan[1].language == "ja" ? plan[0] : plan[1];
  EXPECT_EQ(ja.to, std::vector<std::string>{"abuse@sakura.example.jp"});
  EXPECT_EQ(ja.sites, (std::vector<store::Id>{1, 2}));
  EXPECT_EQ(ja.org, "Sakura");
  EXPECT_EQ(to_string(ja.kind), "renotice") << "it lists a site that came back";
  EXPECT_NE(ja.subject.find("{{tag}}"), std::string::npos)
      << "the tag is filled when the outbox numbers it";
  EXPECT_NE(ja.subject.find("フィッシングサイト"), std::string::npos) << "the phishing template";
  EXPECT_NE(ja.body.find("選定理由: 国内: Sakura がアドレスを管理しています"), std::string::npos)
      << "a Japanese notice gives the reason in Japanese";
  EXPECT_EQ(ja.body.find("administers"), std::string::npos);
  EXPECT_NE(ja.subject.find("2 件"), std::string::npos);
  EXPECT_NE(ja.body.find("http://b.example/login"), std::string::npos);
  EXPECT_NE(ja.body.find("再び表示"), std::string::npos) << "the revived site says so";
  EXPECT_NE(ja.body.find("再び閲覧可能"), std::string::npos) << "and so does the preamble";
  EXPECT_NE(ja.body.find("2008-04-15T01:00:00Z (UTC) / 2008-04-15 10:00:00 +0900"),
            std::string::npos);
  EXPECT_EQ(en.cc, std::vector<std::string>{"certbund@bsi.bund.de"});
  EXPECT_TRUE(en.xarf);
  EXPECT_EQ(to_string(en.kind), "notice");
  EXPECT_NE(en.body.find("This is Example CSIRT."), std::string::npos);
  EXPECT_EQ(en.body.find("\n\n\n"), std::string::npos) << "an empty preamble leaves no blank hole";
  for (const auto& n : plan) {
    std::string body = n.body;
    for (size_t p = 0; (p = body.find("{{tag}}")) != std::string::npos;) body.erase(p, 7);
    EXPECT_EQ(body.find("{{"), std::string::npos) << "every placeholder but the tag filled:\n"
                                                  << n.body;
  }
}

TEST(Notices, EachTypeHasItsTemplateAndMixedTypesTheGeneralOne) {
  auto scan = site(1, "198.51.100.5", "198.51.100.5", "US", kDe);
  scan.cls.type = IncidentType::kScan;
  auto plan =
      plan_notices({scan}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  ASSERT_EQ(plan.size(), 1u);
  const std::string scan_subject = plan[0].subject;
  auto malware = site(2, "http://m.example/a.exe", "198.51.100.6", "US", kDe);
  malware.cls.type = IncidentType::kOther;
  malware.cls.subtype = "malware-site";
  plan = plan_notices({malware}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NE(plan[0].subject, scan_subject);
  EXPECT_NE(plan[0].body.find("malware"), std::string::npos) << plan[0].body;
  plan = plan_notices({scan, malware}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(),
                      options());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_NE(plan[0].subject.find("Sites on your network reported to us (2)"), std::string::npos)
      << plan[0].subject;
}

TEST(Notices, EvidenceIsIncludedUnlessTheReporterMarkedItAmberOrRed) {
  auto c = site(1, "http://a.example/login", "203.0.113.10", "JP", kJp);
  c.evidence = {"Apr 15 10:00:01 sshd[1]: Failed password for root from 203.0.113.10"};
  auto plan = plan_notices({c}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  EXPECT_NE(plan[0].body.find("Failed password for root from 203.0.113.10"), std::string::npos);
  c.tlp = "TLP:AMBER";
  plan = plan_notices({c}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  EXPECT_EQ(plan[0].body.find("Failed password"), std::string::npos)
      << "outside the audience of TLP:AMBER";
  EXPECT_NE(plan[0].body.find("TLP:AMBER"), std::string::npos) << "and the notice says why";
  EXPECT_TRUE(tlp_withholds("red"));
  EXPECT_TRUE(tlp_withholds("TLP:AMBER+STRICT"));
  EXPECT_FALSE(tlp_withholds("TLP:GREEN"));
  EXPECT_FALSE(tlp_withholds("TLP:CLEAR"));
}

TEST(Notices, TheReporterIsNamedOnlyWhenTheyAllowedIt) {
  auto c = site(1, "http://a.example/login", "203.0.113.10", "US", kDe);
  auto plan = plan_notices({c}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  EXPECT_EQ(plan[0].body.find("Reported by"), std::string::npos);
  c.reporter_credit = "Alice <alice@bank.example>";
  plan = plan_notices({c}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  EXPECT_NE(plan[0].body.find("Reported by (who agreed to be named): Alice <alice@bank.example>"),
            std::string::npos);
}

TEST(Notices, RemindersAndEscalationsSaySoAndEscalationsGoToTheCsirt) {
  const auto c = site(1, "http://a.example/login", "203.0.113.10", "JP", kJp, "notified");
  auto plan =
      plan_notices({c}, kz::store::NoticeKind::kReminder, TemplateSet::builtin(), options());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(to_string(plan[0].kind), "reminder");
  EXPECT_NE(plan[0].subject.find("【再送】"), std::string::npos);
  EXPECT_NE(plan[0].body.find("再度ご連絡"), std::string::npos);
  plan = plan_notices({c}, kz::store::NoticeKind::kEscalation, TemplateSet::builtin(), options());
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].to, std::vector<std::string>{"info@jpcert.example"});
  EXPECT_EQ(plan[0].language, "en");
  EXPECT_NE(plan[0].body.find("no response"), std::string::npos);
}

TEST(Notices, SameAddressReportedBeforeIsSaid) {
  auto c = site(1, "http://new.example/login", "203.0.113.10", "JP", kJp);
  c.earlier = "incident #5 (report #3)";
  const auto plan =
      plan_notices({c}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(), options());
  EXPECT_NE(plan[0].body.find("以前にもご連絡しています: incident #5 (report #3)"),
            std::string::npos)
      << plan[0].body;
}

TEST(Notices, CsamAndUnroutedSitesAreNeverNotified) {
  auto csam =
      site(1, "http://bad.example/", "198.51.100.66", "US", R"({"to":["abuse@x.example"]})");
  csam.csam = true;
  const auto none =
      site(2, "http://c.example/", "198.51.100.67", "US", R"({"to":[],"reason":"nothing known"})");
  EXPECT_TRUE(plan_notices({csam, none}, kz::store::NoticeKind::kNotice, TemplateSet::builtin(),
                           NoticeOptions{})
                  .empty());
}

TEST(Notices, ACentreTemplateReplacesTheShippedOne) {
  const auto dir = std::filesystem::temp_directory_path() / "kz_templates_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "notice_phishing_en.txt")
      << "Subject: {{tag}} Ours\n\nHello from {{centre}}\n{{sites}}";
  auto set = TemplateSet::load(dir.string());
  ASSERT_TRUE(set);
  const auto plan = plan_notices({site(1, "http://a.example/", "192.0.2.1", "US", kDe)},
                                 kz::store::NoticeKind::kNotice, *set, options());
  EXPECT_EQ(plan[0].subject, "{{tag}} Ours");
  EXPECT_NE(plan[0].body.find("Hello from Example CSIRT"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Notices, AcknowledgementAndClosureMailsCarryTheTrackingNumber) {
  store::ReporterContact r;
  r.report = 42;
  r.address = "alice@bank.example.jp";
  r.subject = "フィッシングサイトの報告";
  r.received_at = Time{std::chrono::seconds{1208221200}};
  const auto ack = render_ack(r, "ja", TemplateSet::builtin(), options());
  EXPECT_NE(ack.body.find("42"), std::string::npos);
  EXPECT_NE(ack.subject.find("{{tag}}"), std::string::npos);
  const auto closure =
      render_closure(r, {{"http://a.example/", Time{std::chrono::seconds{1208307600}}}}, "en",
                     TemplateSet::builtin(), options());
  EXPECT_NE(closure.body.find("http://a.example/"), std::string::npos);
  EXPECT_NE(closure.body.find("2008-04-16T01:00:00Z (UTC)"), std::string::npos);
}

TEST(Notices, AnAcknowledgementCarriesTheStatusLinkWhenThereIsOne) {
  store::ReporterContact r;
  r.report = 42;
  r.subject = "Phishing";
  r.received_at = Time{std::chrono::seconds{1208221200}};
  const std::string link = "https://csirt.example.jp/api/v1/status?token=kzr_abc";
  const auto en = render_ack(r, "en", TemplateSet::builtin(), options(), link);
  EXPECT_NE(en.body.find("  Status:          " + link + "\n"), std::string::npos) << en.body;
  const auto ja = render_ack(r, "ja", TemplateSet::builtin(), options(), link);
  EXPECT_NE(ja.body.find("  状況確認: " + link + "\n"), std::string::npos) << ja.body;
  const auto none = render_ack(r, "en", TemplateSet::builtin(), options());
  EXPECT_EQ(none.body.find("Status:"), std::string::npos);
  EXPECT_EQ(none.body.find("{{status_link}}"), std::string::npos) << none.body;
  EXPECT_NE(none.body.find("  Subject:         Phishing\n\nWe will review"), std::string::npos)
      << "the line is dropped, not left empty: " << none.body;
}

// Newcomer report item 2: a Subject whose encoded word decodes to CRLF placed the attacker's
// text at the top of the acknowledgement's body. Whatever the subject holds (line breaks,
// header-like lines, a MIME boundary, escapes), it stays inside its own line.
TEST(Notices, TextFromOutsideNeverStartsALineOfAComposedMail) {
  store::ReporterContact r;
  r.report = 7;
  r.received_at = Time{std::chrono::seconds{1208221200}};
  for (const std::string subject :
       {"Phishing report\r\n\r\nURGENT from the CSIRT: log in at http://evil.example/",
        "x\nBcc: victim@example.com", "x\r\n--boundary\r\nContent-Type: text/html", "x\u2028URGENT",
        "x\x1b[2J\rURGENT"}) {
    r.subject = subject;
    for (const char* lang : {"ja", "en"}) {
      const auto ack = render_ack(r, lang, TemplateSet::builtin(), options());
      EXPECT_EQ(ack.subject.find('\n'), std::string::npos);
      for (auto line : split_lines(ack.body)) {
        EXPECT_FALSE(line.starts_with("URGENT") || line.starts_with("Bcc:") ||
                     line.starts_with("--boundary"))
            << lang << ": " << line;
        for (char c : line)
          EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 && c != '\t') << lang << ": " << line;
      }
      if (subject.find("URGENT") != std::string::npos) {
        EXPECT_NE(ack.body.find("URGENT"), std::string::npos)
            << "the text itself is kept, on its line";
      }
    }
  }
}

// Newcomer write-up, Part 3: evidence was picked by address, so with two sites on one address
// the second site's notice quoted the first site's URL, and a site known only by its host name
// got none. Each site now gets the lines naming it.
TEST(Evidence, EachSiteGetsTheLinesNamingItNotItsNeighbours) {
  const std::string text =
      "Two phishing pages on your customer's server:\n"
      "Page A: hxxp://203.0.113.9/bankA/login.php (a copy of Bank A)\n"
      "Page B: http://203.0.113.9/bankB/login.php (a copy of Bank B)\n"
      "203.0.113.9 has served them since Monday; our user at 192.0.2.44 was lured.\n"
      "http://203.0.113.9/bankA/login.php\n"
      "A third one only by name: http://login-bank.example.com/secure/ (Bank C)\n";
  const std::vector<std::string_view> texts = {text};
  EXPECT_EQ(evidence_for_site(texts, "http://203.0.113.9/bankA/login.php", "203.0.113.9", ""),
            (std::vector<std::string>{
                "Page A: http://203.0.113.9/bankA/login.php (a copy of Bank A)",
                "203.0.113.9 has served them since Monday; our user at x.x.x.x was lured."}));
  EXPECT_EQ(evidence_for_site(texts, "http://203.0.113.9/bankB/login.php", "203.0.113.9", ""),
            (std::vector<std::string>{
                "Page B: http://203.0.113.9/bankB/login.php (a copy of Bank B)",
                "203.0.113.9 has served them since Monday; our user at x.x.x.x was lured."}));
  EXPECT_EQ(evidence_for_site(texts, "http://login-bank.example.com/secure/", "198.51.100.3",
                              "login-bank.example.com"),
            (std::vector<std::string>{
                "A third one only by name: http://login-bank.example.com/secure/ (Bank C)"}));
  // A bare address: every line naming it but no other site's URL.
  EXPECT_EQ(evidence_for_site(texts, "203.0.113.9", "203.0.113.9", ""),
            (std::vector<std::string>{
                "203.0.113.9 has served them since Monday; our user at x.x.x.x was lured."}));
}

}  // namespace kz::coord
