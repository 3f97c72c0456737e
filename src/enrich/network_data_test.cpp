#include "enrich/network_data.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "enrich/loader.h"

namespace kz::enrich {

namespace {

class NetworkDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kz_enrich_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto s = store::open_sqlite_store((dir_ / "k.db").string());
    ASSERT_TRUE(s);
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto p = dir_ / name;
    std::ofstream(p) << text;
    return p.string();
  }
  LoadSummary load(const std::string& kind, const std::string& file, bool partial = false) {
    LoadOptions options;
    options.partial = partial;
    auto r = load_data_file(store_->network_data(), kind, file,
                            Time{std::chrono::seconds{1'200'000'000}}, options);
    EXPECT_TRUE(r) << r.error().to_string();
    return *r;
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> store_;
};

}  // namespace

TEST_F(NetworkDataTest, WhoisNamesEveryFieldAndItsSource) {
  load("pfx2as",
       write("pfx2as.txt",
             "203.0.112.0\t20\t64500\n203.0.113.0\t24\t64501_64502\n2001:db8::\t32\t64510\nbad "
             "line\n"),
       true);
  load("delegated", write("delegated.txt",
                          "apnic|JP|ipv4|203.0.112.0|4096|20000101|allocated\n"
                          "apnic|JP|ipv6|2001:db8::|32|20000101|allocated\n"));
  load("as2org", write("as2org.txt", "64501|Example Hosting KK|JP\n64510|Example v6 Net|DE\n"));
  auto data = NetworkData::load(store_->network_data(), store_->settings());
  ASSERT_TRUE(data) << data.error().to_string();

  const auto r = (*data)->whois(*Ip::parse("203.0.113.9"));
  EXPECT_EQ(r.prefix, "203.0.113.0/24") << "the more specific prefix wins";
  EXPECT_EQ(r.asn, 64501u);
  EXPECT_EQ(r.origins, (std::vector<uint32_t>{64501, 64502}));
  EXPECT_EQ(r.as_name, "Example Hosting KK");
  EXPECT_EQ(r.country, "JP");
  EXPECT_EQ(r.registry, "apnic");
  EXPECT_EQ(r.sources.at("asn"), "pfx2as");
  EXPECT_EQ(r.sources.at("country"), "delegated");
  EXPECT_EQ(r.sources.at("as_name"), "as2org");

  const auto v6 = (*data)->whois(*Ip::parse("2001:db8::1"));
  EXPECT_EQ(v6.asn, 64510u);
  EXPECT_EQ(v6.country, "JP") << "the registry block decides the country over the AS's";

  const auto none = (*data)->whois(*Ip::parse("198.51.100.1"));
  EXPECT_FALSE(none.asn) << "a block with no AS";
  EXPECT_TRUE(none.sources.empty());
}

TEST_F(NetworkDataTest, AFileWithBadLinesKeepsTheLoadedData) {
  load("pfx2as", write("good.txt", "203.0.113.0\t24\t64999\n"));
  // A bad line, garbage, a file of another kind, an empty file: the table stays as it was.
  std::string garbage;
  for (int i = 0; i < 4000; ++i) garbage += static_cast<char>((i * 7919) % 256);
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"bad.txt", "198.51.100.0\t24\t64500\n198.51.100.0\t40\t1\n"},
           {"garbage.bin", garbage},
           {"delegated.txt", "apnic|JP|ipv4|203.0.112.0|4096|20000101|allocated\n"},
           {"empty.txt", ""}}) {
    const auto s = load("pfx2as", write(name, text));
    EXPECT_FALSE(s.replaced) << name;
    EXPECT_FALSE(s.kept_because.empty()) << name;
    for (const auto& p : s.problems) {
      for (const unsigned char c : p) EXPECT_TRUE(c >= 0x20 || c == '\t') << name << ": " << p;
    }
    auto sets = store_->network_data().data_sets();
    ASSERT_TRUE(sets && sets->size() == 1);
    EXPECT_EQ((*sets)[0].entries, 1) << name;
    EXPECT_NE((*sets)[0].source.find("good.txt"), std::string::npos) << name;
  }
}

TEST_F(NetworkDataTest, BadLinesAreReportedWithFileAndLineAndPartialLoadsTheRest) {
  const std::string f = write("p.txt", "198.51.100.0\t24\t64500\n198.51.100.0\t40\t1\n");
  const auto s = load("pfx2as", f, true);
  EXPECT_TRUE(s.replaced);
  EXPECT_EQ(s.entries, 1u);
  ASSERT_EQ(s.problems.size(), 1u);
  EXPECT_EQ(s.problems[0].rfind(f + ":2: ", 0), 0u) << s.problems[0];
  auto sets = store_->network_data().data_sets();
  ASSERT_TRUE(sets && sets->size() == 1);
  EXPECT_EQ((*sets)[0].entries, 1);
  EXPECT_EQ((*sets)[0].problems, 1);
  EXPECT_FALSE(load_data_file(store_->network_data(), "nonsense", f, Time{}));
  EXPECT_FALSE(load_data_file(store_->network_data(), "pfx2as", f + ".missing", Time{}));
}

// A reload while lookups run: readers keep a whole snapshot, never a torn one.
TEST_F(NetworkDataTest, ReloadWhileLookupsRun) {
  load("pfx2as", write("a.txt", "198.51.100.0\t24\t1\n"));
  NetworkDataCache cache;
  ASSERT_TRUE(cache.refresh(store_->network_data(), store_->settings()));
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 2; ++t) {
    readers.emplace_back([&] {
      const Ip ip = *Ip::parse("198.51.100.7");
      while (!stop.load()) {
        auto snap = cache.current();
        const auto r = snap->whois(ip);
        // Each snapshot maps the address to AS 1 or AS 2, never anything else.
        if (!r.asn || (*r.asn != 1 && *r.asn != 2)) ++bad;
      }
    });
  }
  for (int i = 0; i < 6; ++i) {
    load("pfx2as", write("b.txt", "198.51.100.0\t24\t" + std::to_string(i % 2 + 1) + "\n"));
    auto changed = cache.refresh(store_->network_data(), store_->settings());
    ASSERT_TRUE(changed);
    EXPECT_TRUE(*changed);
    EXPECT_EQ(cache.current()->whois(*Ip::parse("198.51.100.7")).asn,
              static_cast<uint32_t>(i % 2 + 1));
  }
  auto unchanged = cache.refresh(store_->network_data(), store_->settings());
  EXPECT_FALSE(*unchanged) << "no new data: the snapshot stays";
  stop = true;
  for (auto& r : readers) r.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(NetworkDataTest, AConfirmedDirectoryEntryRebuildsTheSnapshot) {
  NetworkDataCache cache;
  ASSERT_TRUE(cache.refresh(store_->network_data(), store_->settings()));
  const auto& csirts = cache.current()->csirts();
  ASSERT_FALSE(csirts.empty());
  const std::string name = csirts.begin()->second.name;
  const std::string country = csirts.begin()->first;
  ASSERT_FALSE(csirts.begin()->second.verified) << "the starter list is unverified";
  ASSERT_TRUE(store_->settings().verify_directory_entry(name, "handler:test",
                                                        Time{std::chrono::seconds{1}}));
  auto changed = cache.refresh(store_->network_data(), store_->settings());
  ASSERT_TRUE(changed);
  EXPECT_TRUE(*changed) << "no new data version, but a handler's confirmation";
  EXPECT_TRUE(cache.current()->csirts().at(country).verified);
  EXPECT_FALSE(*cache.refresh(store_->network_data(), store_->settings()));
}

}  // namespace kz::enrich
