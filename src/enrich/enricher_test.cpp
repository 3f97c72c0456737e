#include "enrich/enricher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace kz::enrich {
namespace {

TEST(PlanHostAddresses, NewAddressesAreTakenKnownOnesAbsorb) {
  const std::map<std::string, store::Id> known = {{"192.0.2.9", 9}};
  const AddressPlan fresh = plan_host_addresses({"192.0.2.1", "192.0.2.2"}, known);
  EXPECT_EQ(fresh.targets, (std::vector<std::optional<store::Id>>{std::nullopt, std::nullopt}));
  EXPECT_FALSE(fresh.absorb) << "the host's incident becomes the first address's";
  const AddressPlan mixed = plan_host_addresses({"192.0.2.9", "192.0.2.1"}, known);
  EXPECT_EQ(mixed.targets, (std::vector<std::optional<store::Id>>{9, std::nullopt}));
  EXPECT_FALSE(mixed.absorb);
  const AddressPlan all_known = plan_host_addresses({"192.0.2.9"}, known);
  EXPECT_EQ(all_known.targets, (std::vector<std::optional<store::Id>>{9}));
  EXPECT_TRUE(all_known.absorb) << "nothing left for the host's incident to stand for";
  EXPECT_FALSE(plan_host_addresses({}, known).absorb) << "unresolved: the host incident stays";
}

class AssignHostAddresses : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kz_enricher_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto db = store::open_sqlite_store((dir_ / "k.db").string());
    ASSERT_TRUE(db) << db.error().to_string();
    db_ = std::move(*db);
    store::ReportRecord r;
    r.cls.type = IncidentType::kPhishing;
    report_ = *db_->reports().create_report(r);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  store::Id incident(const std::string& ip, const std::string& host, const std::string& url) {
    store::IncidentRecord i;
    i.report = report_;
    i.ip = ip;
    i.host = host;
    i.cls.type = IncidentType::kPhishing;
    const store::Id id = *db_->incidents().upsert_incident(i);
    EXPECT_TRUE(db_->sites().add_site(id, url, host.empty() ? ip : host, Time{}));
    return id;
  }
  std::map<store::Id, std::vector<std::string>> urls() {
    std::map<store::Id, std::vector<std::string>> out;
    const auto sites = db_->sites().sites_of_report(report_);  // kept: the loop reads into it
    for (const auto& s : *sites) out[s.incident].push_back(s.url);
    return out;
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> db_;
  store::Id report_ = 0;
};

TEST_F(AssignHostAddresses, AResolvedHostBecomesOneIncidentPerAddress) {
  const store::Id host = incident("", "phish.example", "http://phish.example/login");
  auto got = assign_host_addresses(db_->incidents(), host, {"192.0.2.1", "192.0.2.2"});
  ASSERT_TRUE(got) << got.error().to_string();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0], host) << "the host's incident becomes the first address's";
  EXPECT_EQ(db_->incidents().get_incident((*got)[0])->ip, "192.0.2.1");
  const auto second = db_->incidents().get_incident((*got)[1]);
  EXPECT_EQ(second->ip, "192.0.2.2");
  EXPECT_EQ(second->cls.type, IncidentType::kPhishing);
  auto by = urls();
  for (store::Id i : *got)
    EXPECT_EQ(by[i], (std::vector<std::string>{"http://phish.example/login"})) << i;
}

TEST_F(AssignHostAddresses, AnAddressTheReportHasAbsorbsTheHostsSites) {
  const store::Id known = incident("192.0.2.1", "", "http://known.example/");
  const store::Id host = incident("", "phish.example", "http://phish.example/login");
  auto got = assign_host_addresses(db_->incidents(), host, {"192.0.2.1"});
  ASSERT_TRUE(got) << got.error().to_string();
  EXPECT_EQ(*got, (std::vector<store::Id>{known}));
  auto by = urls();
  EXPECT_EQ(by[known],
            (std::vector<std::string>{"http://known.example/", "http://phish.example/login"}));
  EXPECT_FALSE(db_->incidents().get_incident(host)) << "nothing keyed by the host remains";
}

TEST_F(AssignHostAddresses, AnUnknownIncidentIsNotFound) {
  auto got = assign_host_addresses(db_->incidents(), 4242, {"192.0.2.1"});
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace kz::enrich
