#include "coord/sites.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kz::coord {

namespace {

class SitesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("kz_sites_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    store_ = std::move(*store::open_sqlite_store(path_.string()));
    ASSERT_TRUE(store_->begin());
    store::ReportRecord r;
    r.cls.type = IncidentType::kPhishing;
    report_ = *store_->reports().create_report(r);
    store::IncidentRecord inc;
    inc.report = report_;
    inc.ip = "198.51.100.45";
    inc.cls.type = IncidentType::kPhishing;
    const auto iid = *store_->incidents().upsert_incident(inc);
    ASSERT_TRUE(store_->sites().add_site(iid, "http://a.example/login", "a.example", Time{}));
    ASSERT_TRUE(store_->sites().add_site(iid, "http://b.example/login", "b.example", Time{}));
    ASSERT_TRUE(store_->commit());
    auto sites = store_->sites().sites_of_report(report_);
    ASSERT_TRUE(sites && sites->size() == 2);
    a_ = (*sites)[0].id;
    b_ = (*sites)[1].id;
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  Result<TransitionResult> go(store::Id site, Action a) {
    at_ += std::chrono::hours(1);
    return transition_site(SiteStores::of(*store_), site, a, "handler:test", "test", at_);
  }
  std::filesystem::path path_;
  std::unique_ptr<store::Database> store_;
  store::Id report_ = 0, a_ = 0, b_ = 0;
  Time at_{};
};

}  // namespace

TEST_F(SitesTest, TheReportClosesWhenEverySiteIsClosedAndReopensOnARevival) {
  for (store::Id s : {a_, b_}) {
    ASSERT_TRUE(go(s, Action::kNotify));
    ASSERT_TRUE(go(s, Action::kTakedownReported));
    ASSERT_TRUE(go(s, Action::kVerifyDown));
  }
  auto first = go(a_, Action::kClose);
  ASSERT_TRUE(first);
  EXPECT_FALSE(first->report_closed) << "site b is not closed yet";
  auto last = go(b_, Action::kClose);
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->report_closed);
  EXPECT_EQ(to_string(store_->reports().get_report(report_)->status), "closed");
  auto revived = go(a_, Action::kRevive);
  ASSERT_TRUE(revived);
  EXPECT_TRUE(revived->report_reopened);
  EXPECT_EQ(to_string(store_->reports().get_report(report_)->status), "open");
  EXPECT_EQ(to_string(store_->sites().get_site(a_)->state), "revived");
}

TEST_F(SitesTest, RefusedTransitionsChangeNothingAndEverythingIsLogged) {
  auto bad = go(a_, Action::kClose);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().to_string().find("http://a.example/login"), std::string::npos);
  EXPECT_EQ(to_string(store_->sites().get_site(a_)->state), "new");
  ASSERT_TRUE(go(a_, Action::kNotify));
  auto detail = store_->queries().report_detail(report_);
  ASSERT_TRUE(detail);
  EXPECT_FALSE(store_->sites().get_site(999));
}

}  // namespace kz::coord
