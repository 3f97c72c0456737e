#include "store/database.h"

#include "report/figures.h"

#include "store/sqlite/sqlite.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace kz::store {

namespace {

Time at(int64_t s) { return Time{std::chrono::seconds{s}}; }

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kz_store_test_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto s = open_sqlite_store(path_.string());
    ASSERT_TRUE(s) << s.error().to_string();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::unique_ptr<Database> store_;
};

}  // namespace

TEST_F(StoreTest, MigrationsAreAppliedOnceAndReopenWorks) {
  store_.reset();
  auto again = open_sqlite_store(path_.string());
  ASSERT_TRUE(again) << again.error().to_string();
  again->reset();
  // What the database itself records: every migration this build knows, each applied once
  // (a reopen must not apply any again).
  auto db = Db::open(path_.string());
  ASSERT_TRUE(db);
  auto st = (*db)->prepare("SELECT COUNT(*), MAX(version) FROM schema_version");
  ASSERT_TRUE(st);
  auto row = st->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(st->int64(0), schema_version());
  EXPECT_EQ(st->int64(1), schema_version());
  EXPECT_GE(schema_version(), 14);
}

TEST_F(StoreTest, OneHolderOfARolePerDatabase) {
  auto first = store_->hold_exclusive("worker");
  ASSERT_TRUE(first) << first.error().to_string();
  auto other = open_sqlite_store(path_.string());
  ASSERT_TRUE(other);
  auto second = (*other)->hold_exclusive("worker");
  ASSERT_FALSE(second) << "a second worker on the same database";
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE((*other)->hold_exclusive("other-role")) << "roles are apart";
  first->reset();
  EXPECT_TRUE((*other)->hold_exclusive("worker")) << "free once the first lets go";
  std::filesystem::remove(path_.string() + ".worker.lock");
  std::filesystem::remove(path_.string() + ".other-role.lock");
}

TEST_F(StoreTest, MessagesAreContentAddressed) {
  MessageRecord m;
  m.sha256 = "abc";
  const std::string raw("raw\0bytes", 9);
  m.received_at = at(1000);
  ASSERT_TRUE(store_->begin());
  auto id = store_->messages().add_message(m, raw);
  ASSERT_TRUE(id);
  ASSERT_TRUE(store_->commit());
  auto found = store_->messages().find_message("abc");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(**found, *id);
  auto stored = store_->messages().message_raw(*id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(*stored, raw) << "the raw bytes come back exactly, NUL included";
  ASSERT_TRUE(store_->begin());
  auto twice = store_->messages().add_message(m, raw);
  ASSERT_FALSE(twice) << "the same bytes twice must be refused";
  // What a user reads says what happened, never the SQL statement.
  const std::string shown = twice.error().to_string();
  EXPECT_EQ(shown.find("INSERT"), std::string::npos) << shown;
  EXPECT_EQ(shown.find("VALUES"), std::string::npos) << shown;
  store_->rollback();
}

TEST_F(StoreTest, AMessageLargerThanMemoryIsStoredInChunksAndComesBackWhole) {
  // 40 MiB on disk after a head in memory: three 16 MiB rows beside the head. Each MiB differs,
  // so a chunk out of order or lost shows.
  auto spill = SpillFile::create("");
  ASSERT_TRUE(spill) << spill.error().to_string();
  std::string want = "head of the message\n";
  for (int mib = 0; mib < 40; ++mib) {
    const std::string block(size_t{1} << 20, static_cast<char>('a' + mib % 26));
    ASSERT_TRUE((*spill)->append(block));
    want += block;
  }
  MessageRecord m;
  m.sha256 = "large";
  m.parse_status = ParseStatus::kQuarantined;
  m.received_at = at(1000);
  ASSERT_TRUE(store_->begin());
  auto id = store_->messages().add_message(m, RawBytes("head of the message\n", spill->get()));
  ASSERT_TRUE(id) << id.error().to_string();
  ASSERT_TRUE(store_->commit());
  auto stored = store_->messages().message_raw(*id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->size(), want.size());
  EXPECT_TRUE(*stored == want) << "the bytes come back in order";
  auto q = store_->messages().quarantined_message(*id);
  ASSERT_TRUE(q);
  EXPECT_EQ(q->size, static_cast<int64_t>(want.size()));
  // Removed for a retry: the chunks go with the row.
  ASSERT_TRUE(store_->begin());
  ASSERT_TRUE(store_->messages().remove_quarantined(*id));
  ASSERT_TRUE(store_->commit());
  EXPECT_FALSE(store_->messages().message_raw(*id));
  // Filed again small under what may be the same number: no chunk of the old one remains.
  ASSERT_TRUE(store_->begin());
  auto again = store_->messages().add_message(m, "small now");
  ASSERT_TRUE(again);
  ASSERT_TRUE(store_->commit());
  auto now = store_->messages().message_raw(*again);
  ASSERT_TRUE(now);
  EXPECT_EQ(*now, "small now");
}

TEST_F(StoreTest, IndicatorsAreStoredInOrderWhateverTheirNumber) {
  MessageRecord m;
  m.sha256 = "ind";
  ASSERT_TRUE(store_->begin());
  auto id = store_->messages().add_message(m, "raw");
  ASSERT_TRUE(id);
  std::vector<IndicatorRecord> list;
  for (int n = 0; n < 37; ++n) {  // two full multi-row statements and a shorter one
    list.push_back({"ip", "192.0.2." + std::to_string(n), n % 2 ? "reported" : "victim", "body"});
  }
  ASSERT_TRUE(store_->messages().add_indicators(*id, list));
  ASSERT_TRUE(store_->commit());
  auto db = Db::open(path_.string());
  ASSERT_TRUE(db);
  auto st = (*db)->prepare(
      "SELECT kind,value,role,source FROM indicators WHERE message=?1 ORDER BY rowid");
  ASSERT_TRUE(st) << st.error().to_string();
  st->bind(1, *id);
  size_t row = 0;
  while (true) {
    auto more = st->step();
    ASSERT_TRUE(more);
    if (!*more) break;
    ASSERT_LT(row, list.size());
    EXPECT_EQ(st->text(0), list[row].kind);
    EXPECT_EQ(st->text(1), list[row].value);
    EXPECT_EQ(st->text(2), list[row].role);
    EXPECT_EQ(st->text(3), list[row].source);
    ++row;
  }
  EXPECT_EQ(row, list.size());
}

TEST_F(StoreTest, FiguresCountReportsIncidentsAndPortsInTheRange) {
  ASSERT_TRUE(store_->begin());
  ReportRecord r;
  r.created_at = at(100);
  r.cls.type = IncidentType::kScan;
  r.tld = "jp";
  auto rid = store_->reports().create_report(r);
  ASSERT_TRUE(rid);
  for (int k = 0; k < 2; ++k) {
    IncidentRecord i;
    i.report = *rid;
    i.ip = "198.51.100." + std::to_string(k + 1);
    i.cls.type = IncidentType::kScan;
    i.created_at = at(100);
    auto iid = store_->incidents().upsert_incident(i);
    ASSERT_TRUE(iid);
    std::vector<PortHit> ports;
    if (k == 0) {
      ports.push_back({"tcp", 22, 5});
    } else {
      for (int p : {21, 22, 23, 80, 443}) ports.push_back({"tcp", p, 1});
    }
    ASSERT_TRUE(store_->incidents().add_ports(*iid, ports));
    ASSERT_EQ(*store_->incidents().upsert_incident(i), *iid)
        << "same key returns the same incident";
  }
  r.created_at = at(10'000);  // outside the range below
  ASSERT_TRUE(store_->reports().create_report(r));
  ASSERT_TRUE(store_->commit());

  auto rows = store_->queries().figure_rows(at(0), at(1000));
  ASSERT_TRUE(rows) << rows.error().to_string();
  auto f = report::figures(*rows, 5);
  EXPECT_EQ(f.reports, 1);
  EXPECT_EQ(f.incidents, 2);
  EXPECT_EQ(f.by_type["scan"], 2);
  EXPECT_EQ(f.comprehensive_scans, 1);
  ASSERT_EQ(f.scan_ports.size(), 1u);
  EXPECT_EQ(f.scan_ports[0].port, 22);
  ASSERT_EQ(f.reporter_tld.size(), 1u);
  EXPECT_EQ(f.reporter_tld[0].first, "jp");
}

TEST_F(StoreTest, EventLogIsAppendOnly) {
  ASSERT_TRUE(store_->events().append_event({at(1), "tester", "report.created", "report:1", "{}"}));
  store_.reset();
  auto db = Db::open(path_.string());
  ASSERT_TRUE(db);
  EXPECT_FALSE((*db)->exec("UPDATE events SET actor='someone else'"));
  EXPECT_FALSE((*db)->exec("DELETE FROM events"));
  auto st = (*db)->prepare("SELECT actor FROM events");
  ASSERT_TRUE(st && *st->step());
  EXPECT_EQ(st->text(0), "tester");
}

}  // namespace kz::store

namespace kz::store {

TEST(States, EveryValueIsStoredAsItsTextAndReadBack) {
  for (int i = 0; i <= static_cast<int>(SiteState::kEscalated); ++i) {
    const auto s = static_cast<SiteState>(i);
    EXPECT_EQ(parse_site_state(to_string(s)), s) << to_string(s);
  }
  for (int i = 0; i <= static_cast<int>(NoticeStatus::kCancelled); ++i) {
    const auto s = static_cast<NoticeStatus>(i);
    EXPECT_EQ(parse_notice_status(to_string(s)), s) << to_string(s);
  }
  for (int i = 0; i <= static_cast<int>(NoticeKind::kClosure); ++i) {
    const auto k = static_cast<NoticeKind>(i);
    EXPECT_EQ(parse_notice_kind(to_string(k)), k) << to_string(k);
  }
  EXPECT_EQ(to_string(SiteState::kTakedownReported), "takedown_reported") << "as stored since 006";
  EXPECT_EQ(to_string(ReportStatus::kClosed), "closed");
  EXPECT_EQ(to_string(Audience::kReporter), "reporter");
  EXPECT_EQ(to_string(CheckOutcome::kBlocked), "blocked");
  for (auto p : {ParseStatus::kOk, ParseStatus::kPartial, ParseStatus::kQuarantined})
    EXPECT_EQ(parse_parse_status(to_string(p)), p) << to_string(p);
  EXPECT_FALSE(parse_site_state("Closed")) << "the stored forms only";
  // Put in JSON, a state is its text, never its number.
  EXPECT_EQ(nlohmann::json({{"state", SiteState::kDownVerified}, {"verdict", CheckOutcome::kLive}})
                .dump(),
            R"({"state":"down_verified","verdict":"live"})");
  EXPECT_FALSE(parse_check_outcome(""));
}

TEST_F(StoreTest, AStateTheStoreDoesNotKnowIsReportedNotGuessed) {
  ReportRecord r;
  r.created_at = at(1);
  const Id report = *store_->reports().create_report(r);
  IncidentRecord i;
  i.report = report;
  i.ip = "192.0.2.1";
  const Id incident = *store_->incidents().upsert_incident(i);
  ASSERT_TRUE(store_->sites().add_site(incident, "http://a.example/", "a.example", at(1)));
  const Id site = store_->sites().sites_of_report(report)->front().id;
  // A newer Kizuna, or a hand edit, wrote a state this build does not know.
  auto db = Db::open(path_.string());
  ASSERT_TRUE(db);
  ASSERT_TRUE((*db)->exec("UPDATE sites SET state='quarantined_by_v9'"));
  auto got = store_->sites().get_site(site);
  ASSERT_FALSE(got) << "read as some other state";
  EXPECT_EQ(got.error().code, ErrorCode::kCorruption);
  EXPECT_NE(got.error().message.find("quarantined_by_v9"), std::string::npos)
      << got.error().message;
}

}  // namespace kz::store
