#include "triage/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/sha256.h"
#include "store/sqlite/sqlite.h"

namespace kz::triage {

namespace {

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kz_ingest_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto s = store::open_sqlite_store(path_.string());
    ASSERT_TRUE(s);
    store_ = std::move(*s);
    ingestor_ = std::make_unique<Ingestor>(IngestStores::of(*store_), TriageConfig{},
                                           intake::MimeOptions{}, clock_);
  }
  void TearDown() override {
    ingestor_.reset();
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }

  IngestOutcome ingest(const std::string& mail, intake::ItemKind kind = intake::ItemKind::kEmail) {
    EXPECT_TRUE(store_->begin());
    auto r = ingestor_->ingest({"test", mail, kind, std::nullopt});
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(store_->commit());
    return *r;
  }

  static std::string mail(const std::string& from, const std::string& id, const std::string& date,
                          const std::string& subject, const std::string& body,
                          const std::string& reply_to = "") {
    std::string m =
        "Received: from relay.example (relay.example [203.0.113.250]) by mx.centre.example.jp; " +
        date + "\nFrom: " + from + "\nMessage-ID: <" + id + ">\nSubject: " + subject + "\n";
    if (!reply_to.empty()) m += "In-Reply-To: <" + reply_to + ">\nReferences: <" + reply_to + ">\n";
    return m + "\n" + body;
  }

  std::filesystem::path path_;
  std::unique_ptr<store::Database> store_;
  FixedClock clock_{Time{std::chrono::seconds{1'300'000'000}}};
  std::unique_ptr<Ingestor> ingestor_;
};

}  // namespace

TEST_F(IngestTest, ThreadSecondReporterAndSameAddressMergeIntoOneReport) {
  const auto first = ingest(mail(
      "soc@alpha.ne.jp", "a1@alpha", "Tue, 15 Apr 2008 10:00:00 +0900", "フィッシングサイトの報告",
      "PayPal を装ったサイトです。\nhttp://pp.example.com/login (198.51.100.45)\n"));
  ASSERT_EQ(first.status, IngestOutcome::Status::kNew);
  ASSERT_TRUE(first.report);
  EXPECT_FALSE(first.merged);

  const auto followup = ingest(
      mail("soc@alpha.ne.jp", "a2@alpha", "Tue, 15 Apr 2008 12:00:00 +0900",
           "Re: フィッシングサイトの報告", "追加情報です。まだ稼働しています。", "a1@alpha"));
  EXPECT_EQ(followup.report, first.report);
  EXPECT_EQ(followup.merged_by, "thread");

  const auto second =
      ingest(mail("abuse@beta.com", "b1@beta", "Wed, 16 Apr 2008 09:00:00 +0000", "Phishing site",
                  "Phishing site: hxxp://pp.example[.]com/login\n"));
  EXPECT_EQ(second.report, first.report);
  EXPECT_EQ(second.merged_by, "url");

  // A different URL on the same address is another site: a new report linked to the first.
  const auto other_site =
      ingest(mail("abuse@gamma.de", "g1@gamma", "Thu, 17 Apr 2008 09:00:00 +0000", "Phishing",
                  "Phishing site http://other.example.com/x (198.51.100.45)\n"));
  ASSERT_TRUE(other_site.report);
  EXPECT_NE(other_site.report, first.report);
  auto linked = store_->reports().get_report(*other_site.report);
  ASSERT_TRUE(linked);
  EXPECT_EQ(linked->linked_report, first.report);

  auto detail = store_->queries().report_detail(*first.report);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->summary.messages, 3);
  ASSERT_EQ(detail->incidents.size(), 1u);
  EXPECT_EQ(detail->incidents[0].incident.ip, "198.51.100.45");
  EXPECT_EQ(detail->incidents[0].incident.brand_origin, "foreign");
  EXPECT_EQ(detail->messages[2].role, "second-reporter");
}

TEST_F(IngestTest, ScansOfTheSameSourceMergeOnlyWithinTheWindow) {
  const std::string log =
      "Apr 15 03:12:44 www sshd[1]: Failed password for root from 198.51.100.7 port 4242 ssh2\n";
  const auto a =
      ingest(mail("x@one.jp", "s1@one", "Tue, 15 Apr 2008 10:00:00 +0900", "ssh brute force", log));
  const auto b = ingest(
      mail("y@two.jp", "s2@two", "Fri, 18 Apr 2008 10:00:00 +0900", "ssh attack", log + " "));
  EXPECT_EQ(b.report, a.report);
  EXPECT_EQ(b.merged_by, "ip");
  const auto c = ingest(
      mail("z@three.jp", "s3@three", "Fri, 25 Apr 2008 10:00:00 +0900", "ssh attack", log + "  "));
  EXPECT_NE(c.report, a.report) << "ten days later is outside the 7-day window";
}

TEST_F(IngestTest, DuplicatesChangeNothingAndGarbageIsQuarantinedNotLost) {
  const std::string m = mail("x@one.jp", "d1@one", "Tue, 15 Apr 2008 10:00:00 +0900", "scan",
                             "scan from 198.51.100.9\n");
  EXPECT_EQ(ingest(m).status, IngestOutcome::Status::kNew);
  EXPECT_EQ(ingest(m).status, IngestOutcome::Status::kDuplicate);
  const auto q = ingest("\x01\x02 not a mail at all");
  EXPECT_EQ(q.status, IngestOutcome::Status::kQuarantined);
  EXPECT_FALSE(q.problem.empty());
  auto found = store_->messages().find_message(sha256_hex("\x01\x02 not a mail at all"));
  ASSERT_TRUE(found && *found) << "the raw bytes are stored even though they could not be parsed";
  auto f = store_->queries().figure_rows(Time{}, Time{std::chrono::seconds{2'000'000'000}});
  EXPECT_EQ(f->reports, 1);
  EXPECT_EQ(f->messages, 1);
}

TEST_F(IngestTest, CsamEvidenceIsNotStored) {
  const std::string xarf =
      R"({"xarf_version":"4.2.0","report_id":"c1","category":"content","type":"csam",
    "source_identifier":"198.51.100.66","url":"http://bad.example/x",
    "evidence":[{"content_type":"image/png","payload":"SECRETPAYLOAD"}]})";
  const auto r = ingest(xarf, intake::ItemKind::kJson);
  ASSERT_TRUE(r.report);
  auto rep = store_->reports().get_report(*r.report);
  EXPECT_TRUE(rep->csam);
  auto detail = store_->queries().report_detail(*r.report);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->incidents[0].urls, std::vector<std::string>{"http://bad.example/x"});
  // The stored bytes keep the report but not the evidence payload.
  auto db = store::Db::open(path_.string());
  ASSERT_TRUE(db);
  auto st = (*db)->prepare("SELECT raw FROM message_raw WHERE message=?1");
  ASSERT_TRUE(st);
  st->bind(1, r.message);
  ASSERT_TRUE(*st->step());
  const std::string raw = st->text(0);
  EXPECT_EQ(raw.find("SECRETPAYLOAD"), std::string::npos);
  EXPECT_NE(raw.find("198.51.100.66"), std::string::npos);
}

TEST_F(IngestTest, ReclassificationIsRecordedInTheEventLog) {
  const auto r = ingest(mail("x@one.jp", "r1@one", "Tue, 15 Apr 2008 10:00:00 +0900", "報告",
                             "198.51.100.99 から不審なアクセス\n"));
  ASSERT_TRUE(r.report);
  Classification dos{IncidentType::kOther, "dos", "availability", "dos"};
  ASSERT_TRUE(reclassify_report(IngestStores::of(*store_), *r.report, dos, "handler:sato",
                                "DoS, not a scan", clock_.now()));
  auto detail = store_->queries().report_detail(*r.report);
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->summary.report.cls.subtype, "dos");
  EXPECT_EQ(detail->incidents[0].incident.cls.subtype, "dos");
  ASSERT_FALSE(detail->events.empty());
  EXPECT_EQ(detail->events.back().action, "classification.changed");
  EXPECT_EQ(detail->events.back().actor, "handler:sato");
  EXPECT_NE(detail->events.back().detail.find("DoS, not a scan"), std::string::npos);
}

}  // namespace kz::triage

namespace kz::triage {

TEST_F(IngestTest, AReportLearningItsBrandLendsItToItsPhishingIncidentsWithoutOne) {
  const auto first = ingest(mail(
      "soc@alpha.ne.jp", "br1@alpha", "Tue, 15 Apr 2008 10:00:00 +0900", "フィッシングサイトの報告",
      "フィッシングサイトです。\nhttp://login.example.net/x (198.51.100.77)\n"));
  ASSERT_TRUE(first.report);
  auto before = store_->queries().report_detail(*first.report);
  ASSERT_TRUE(before);
  ASSERT_EQ(before->summary.report.brand, "") << "no brand named yet";
  ingest(mail("soc@alpha.ne.jp", "br2@alpha", "Tue, 15 Apr 2008 12:00:00 +0900",
              "Re: フィッシングサイトの報告", "PayPal を装っています。", "br1@alpha"));
  auto after = store_->queries().report_detail(*first.report);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->summary.report.brand, "PayPal");
  ASSERT_EQ(after->incidents.size(), 1u);
  EXPECT_EQ(after->incidents[0].incident.brand, "PayPal") << "the incident takes the report's";
}

TEST(TakesReportBrand, OnlyPhishingIncidentsWhoseBrandIsNotKnown) {
  store::IncidentRecord i;
  i.cls.type = IncidentType::kPhishing;
  EXPECT_TRUE(takes_report_brand(i));
  i.brand_origin = "unknown";
  EXPECT_TRUE(takes_report_brand(i));
  i.brand = "Other Bank";
  i.brand_origin = "foreign";
  EXPECT_FALSE(takes_report_brand(i)) << "a brand of its own stays";
  store::IncidentRecord scan;
  scan.cls.type = IncidentType::kScan;
  EXPECT_FALSE(takes_report_brand(scan));
}

}  // namespace kz::triage
