#include "enrich/directory.h"
#include "report/figures.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "enrich/enricher.h"
#include "enrich/loader.h"
#include "intake/mailbox.h"
#include "store/sqlite/sqlite.h"
#include "triage/ingest.h"

namespace kz::enrich {

namespace {

std::string fixture(const std::string& name) {
  return std::string(KZ_SOURCE_DIR) + "/src/enrich/testdata/" + name;
}

class RoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("kz_routing_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(*store::open_sqlite_store((dir_ / "k.db").string()));
    std::ofstream(dir_ / "pfx2as.txt")
        << "203.0.113.0\t24\t64501\n198.51.100.0\t24\t64502\n192.0.2.0\t24\t64503\n"
        << "100.64.0.0\t16\t64509\n";
    std::ofstream(dir_ / "delegated.txt") << "apnic|JP|ipv4|203.0.113.0|256|20000101|allocated\n"
                                          << "apnic|JP|ipv4|198.51.100.0|256|20000101|allocated\n"
                                          << "ripencc|DE|ipv4|192.0.2.0|256|20000101|allocated\n"
                                          << "arin|US|ipv4|100.64.0.0|65536|20000101|allocated\n";
    for (const auto& [kind, file] : std::vector<std::pair<std::string, std::string>>{
             {"pfx2as", (dir_ / "pfx2as.txt").string()},
             {"delegated", (dir_ / "delegated.txt").string()},
             {"contacts", fixture("contacts.toml")},
             {"rdap", fixture("")}}) {
      auto r = load_data_file(store_->network_data(), kind, file, Time{});
      ASSERT_TRUE(r) << kind << ": " << r.error().to_string();
    }
    // The shipped starter list is used, two of its entries confirmed by a handler.
    for (const char* name : {"CERT-Bund", "CISA (US-CERT)"})
      ASSERT_TRUE(store_->settings().verify_directory_entry(name, "handler:test", Time{}));
    data_ = *NetworkData::load(store_->network_data(), store_->settings());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<store::Database> store_;
  std::shared_ptr<const NetworkData> data_;
};

}  // namespace

TEST(Rdap, AbuseByRoleOrderSkippingRemovedEntities) {
  auto raw = intake::read_file(fixture("rdap_network.json"));
  auto r = parse_rdap(*raw);
  ASSERT_TRUE(r) << r.error().to_string();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].prefixes.front().to_string(), "192.0.2.0/24");
  EXPECT_EQ((*r)[0].abuse, std::vector<std::string>{"abuse@example-hosting.de"})
      << "nested abuse, not the removed one";
  EXPECT_EQ((*r)[0].abuse_role, "abuse");
  EXPECT_EQ((*r)[0].country, "DE");
  auto d = parse_rdap(*intake::read_file(fixture("rdap_domain.json")));
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)[0].domain, "evil-login.example");
  EXPECT_EQ((*d)[0].registrar, "Example Registrar Inc.");
  EXPECT_EQ((*d)[0].abuse, std::vector<std::string>{"abuse@registrar.example"});
  EXPECT_FALSE(parse_rdap("{\"errorCode\":404}"));
  EXPECT_FALSE(parse_rdap("[1,2"));
}

TEST(Rdap, StartEndRangesBecomeCidrs) {
  auto r = parse_rdap(
      R"({"objectClassName":"ip network","startAddress":"2001:db8::","endAddress":"2001:db8:1:ffff:ffff:ffff:ffff:ffff"})");
  ASSERT_TRUE(r);
  ASSERT_EQ((*r)[0].prefixes.size(), 1u);
  EXPECT_EQ((*r)[0].prefixes[0].to_string(), "2001:db8::/47");
}

TEST_F(RoutingTest, DomesticAdministratorFromTheDirectory) {
  const auto w = data_->whois(*Ip::parse("203.0.113.10"));
  EXPECT_EQ(w.org, "Sakura Hosting KK");
  EXPECT_EQ(w.org_kind, "isp");
  EXPECT_EQ(w.language, "ja");
  EXPECT_EQ(w.route.to, std::vector<std::string>{"abuse@sakura-hosting.example.jp"});
  EXPECT_NE(w.route.reason.find("domestic"), std::string::npos);
  // A Japanese notice quotes the reason in Japanese.
  EXPECT_EQ(w.route.reason_ja, "国内: Sakura Hosting KK がアドレスを管理しています（directory）");
  EXPECT_EQ(w.sources.at("abuse"), "directory");
}

TEST_F(RoutingTest, OriginAsContactWhenTheBlockIsNotInTheDirectory) {
  const auto w =
      data_->whois(*Ip::parse("203.0.113.200"));  // outside the /25, same origin AS 64501
  EXPECT_EQ(w.org, "Sakura Hosting KK");
  EXPECT_EQ(w.route.to, std::vector<std::string>{"abuse@sakura-hosting.example.jp"});
}

TEST_F(RoutingTest, SchoolKind) {
  EXPECT_EQ(data_->whois(*Ip::parse("198.51.100.5")).org_kind, "school");
}

TEST_F(RoutingTest, AbroadTheAdministratorWithTheNationalCsirtInCopy) {
  const auto w = data_->whois(*Ip::parse("192.0.2.77"));
  EXPECT_EQ(w.country, "DE");
  EXPECT_EQ(w.org_kind, "overseas");
  EXPECT_EQ(w.route.to, std::vector<std::string>{"abuse@example-hosting.de"});
  ASSERT_TRUE(w.csirt);
  EXPECT_EQ(w.route.cc, std::vector<std::string>{w.csirt->email});
  RoutingPolicy instead;
  instead.foreign = "instead";
  EXPECT_EQ(data_->whois(*Ip::parse("192.0.2.77"), instead).route.to,
            std::vector<std::string>{w.csirt->email});
}

TEST_F(RoutingTest, AnUnverifiedCsirtOfTheStarterListIsNeverMailed) {
  // Japan's entry of the starter list is not verified: an address in Japan with no contact
  // known goes nowhere, and the route says why and what to do.
  std::ofstream(dir_ / "delegated2.txt") << "apnic|JP|ipv4|203.0.113.0|256|20000101|allocated\n"
                                         << "apnic|KR|ipv4|100.64.0.0|65536|20000101|allocated\n";
  ASSERT_TRUE(load_data_file(store_->network_data(), "delegated",
                             (dir_ / "delegated2.txt").string(), Time{}));
  auto data = NetworkData::load(store_->network_data(), store_->settings());
  ASSERT_TRUE(data);
  const auto abroad = (*data)->whois(*Ip::parse("100.64.1.1"));
  ASSERT_TRUE(abroad.csirt);
  EXPECT_FALSE(abroad.csirt->verified);
  EXPECT_TRUE(abroad.route.to.empty());
  EXPECT_TRUE(abroad.route.cc.empty());
  EXPECT_NE(abroad.route.reason.find("kizuna directory verify \"KrCERT/CC\""), std::string::npos)
      << abroad.route.reason;
  // A known administrator abroad: mailed, with no unverified CSIRT in copy or for escalation.
  const auto de = data_->whois(*Ip::parse("192.0.2.77"));
  EXPECT_FALSE(de.route.escalate_to.empty());  // CERT-Bund is verified in SetUp
  ASSERT_TRUE(store_->settings().verify_directory_entry("KrCERT/CC", "handler:test", Time{}));
  data = NetworkData::load(store_->network_data(), store_->settings());
  EXPECT_EQ((*data)->whois(*Ip::parse("100.64.1.1")).route.to,
            std::vector<std::string>{abroad.csirt->email});
}

TEST_F(RoutingTest, NothingKnownAbroadGoesToTheNationalCsirt) {
  const auto w = data_->whois(*Ip::parse("100.64.1.1"));
  EXPECT_TRUE(w.abuse.empty());
  ASSERT_TRUE(w.csirt);
  EXPECT_EQ(w.csirt->country, "US");
  EXPECT_EQ(w.route.to, std::vector<std::string>{w.csirt->email});
  EXPECT_NE(w.route.reason.find("no contact known"), std::string::npos);
}

TEST_F(RoutingTest, IncidentsAreEnrichedAndCounted) {
  ASSERT_TRUE(store_->begin());
  store::ReportRecord rep;
  rep.cls.type = IncidentType::kPhishing;
  auto rid = store_->reports().create_report(rep);
  ASSERT_TRUE(rid);
  store::Id domestic_incident = 0;
  for (const char* ip : {"203.0.113.10", "192.0.2.77"}) {
    store::IncidentRecord inc;
    inc.report = *rid;
    inc.ip = ip;
    inc.cls.type = IncidentType::kPhishing;
    auto id = store_->incidents().upsert_incident(inc);
    ASSERT_TRUE(id);
    if (domestic_incident == 0) domestic_incident = *id;
  }
  // A phishing site on a registered domain whose RDAP record is loaded (a malicious domain).
  ASSERT_TRUE(store_->sites().add_site(domestic_incident, "http://login.evil-login.example/",
                                       "login.evil-login.example", Time{}));
  store::IncidentRecord host;
  host.report = *rid;
  host.host = "www.evil-login.example";
  host.cls.type = IncidentType::kPhishing;
  ASSERT_TRUE(store_->incidents().upsert_incident(host));
  ASSERT_TRUE(store_->commit());
  auto s = enrich_incidents(*store_, store_->incidents(), *data_, RoutingPolicy{}, false);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(s->incidents, 3u);
  EXPECT_EQ(s->routed, 3u) << "the host's registrar is known from RDAP";
  EXPECT_EQ(
      enrich_incidents(*store_, store_->incidents(), *data_, RoutingPolicy{}, false)->incidents, 0u)
      << "nothing new";
  EXPECT_EQ(
      enrich_incidents(*store_, store_->incidents(), *data_, RoutingPolicy{}, true)->incidents, 3u)
      << "--all";
  {
    auto db = store::Db::open((dir_ / "k.db").string());
    ASSERT_TRUE(db);
    auto st = (*db)->prepare("SELECT route FROM incidents WHERE id=?1");
    ASSERT_TRUE(st);
    st->bind(1, domestic_incident);
    ASSERT_TRUE(*st->step());
    const std::string route = st->text(0);
    EXPECT_NE(route.find("abuse@sakura-hosting.example.jp"), std::string::npos) << route;
    EXPECT_NE(route.find("abuse@registrar.example"), std::string::npos)
        << "the registrar in copy: " << route;
  }
  auto rows = store_->queries().figure_rows(Time{}, Time{std::chrono::seconds{10}});
  ASSERT_TRUE(rows);
  auto f = report::figures(*rows, 5);
  EXPECT_EQ(f.by_org_kind["isp"], 1);
  EXPECT_EQ(f.by_org_kind["overseas"], 1);
  EXPECT_EQ(f.by_org_kind["other"], 1);
  ASSERT_EQ(f.by_country.size(), 2u);
}

namespace {

std::string route_of(const std::filesystem::path& db_path, store::Id incident, int64_t* version) {
  auto db = store::Db::open(db_path.string());
  if (!db) return "no database";
  auto st = (*db)->prepare("SELECT route, enriched_version FROM incidents WHERE id=?1");
  if (!st) return "no statement";
  st->bind(1, incident);
  auto row = st->step();
  if (!row || !*row) return "no incident";
  *version = st->int64(1);
  return st->text(0);
}

}  // namespace

// Intake enriches each new incident as it stores it (no second write), from the loaded data.
// A later message that adds a site to that incident makes the enrichment after ingest look at
// it again, with every site: here the second site's domain brings its registrar in copy.
TEST_F(RoutingTest, IncidentsAreEnrichedAsIntakeStoresThemAndAgainWhenTheyGainASite) {
  const FixedClock clock{Time{std::chrono::seconds{1'300'000'000}}};
  triage::IngestOptions options;
  options.enrich = [&](const store::IncidentRecord& inc, const std::vector<std::string>& hosts) {
    return enrich_incident(*data_, RoutingPolicy{}, inc.ip, inc.host, hosts).enrichment;
  };
  triage::Ingestor ingestor(triage::IngestStores::of(*store_), triage::TriageConfig{},
                            intake::MimeOptions{}, clock, options);
  auto ingest = [&](const std::string& mail) {
    EXPECT_TRUE(store_->begin());
    auto r = ingestor.ingest({"test", mail, intake::ItemKind::kEmail, std::nullopt});
    EXPECT_TRUE(r) << r.error().to_string();
    EXPECT_TRUE(store_->commit());
    return *r;
  };
  const auto first = ingest(
      "From: soc@alpha.ne.jp\nMessage-ID: <p1@alpha>\nSubject: Phishing site\n"
      "Date: Tue, 15 Apr 2008 10:00:00 +0900\n\nPhishing site: http://shop.example.com/login "
      "(203.0.113.10)\n");
  ASSERT_TRUE(first.report);
  auto incidents = store_->queries().list_incidents({});
  ASSERT_TRUE(incidents);
  ASSERT_EQ(incidents->size(), 1u);
  const store::Id id = incidents->front().incident.id;
  int64_t version = 0;
  std::string route = route_of(dir_ / "k.db", id, &version);
  EXPECT_EQ(version, data_->version() + 1) << "enriched as it was stored";
  EXPECT_NE(route.find("abuse@sakura-hosting.example.jp"), std::string::npos) << route;
  EXPECT_EQ(route.find("abuse@registrar.example"), std::string::npos) << route;
  EXPECT_EQ(
      enrich_incidents(*store_, store_->incidents(), *data_, RoutingPolicy{}, false)->incidents, 0u)
      << "nothing left to do";

  // The reporter follows up with a second site on the same address, on a domain whose RDAP
  // record is loaded.
  ingest(
      "From: soc@alpha.ne.jp\nMessage-ID: <p2@alpha>\nIn-Reply-To: <p1@alpha>\nSubject: Re: "
      "Phishing site\n"
      "Date: Tue, 15 Apr 2008 11:00:00 +0900\n\nAnother one: "
      "http://login.evil-login.example/paypal (203.0.113.10)\n");
  route_of(dir_ / "k.db", id, &version);
  EXPECT_EQ(version, 0) << "left to the enrichment after ingest";
  EXPECT_EQ(
      enrich_incidents(*store_, store_->incidents(), *data_, RoutingPolicy{}, false)->incidents,
      1u);
  route = route_of(dir_ / "k.db", id, &version);
  EXPECT_NE(route.find("abuse@sakura-hosting.example.jp"), std::string::npos) << route;
  EXPECT_NE(route.find("abuse@registrar.example"), std::string::npos)
      << "the registrar in copy: " << route;
}

// Found by fuzz_directory: entities nested 40,000 deep in one RDAP answer (600 KB, under the
// client's 1 MiB cap) overflowed the stack, and the cached answer crashed every later command.
// Contacts and CSIRT files nesting arrays thousands deep crashed toml11 the same way.
TEST(Directory, DeepNestingIsRefusedOrCutNotACrash) {
  std::string rdap =
      R"({"objectClassName":"ip network","startAddress":"192.0.2.0","endAddress":"192.0.2.255","entities":[)";
  for (int i = 0; i < 40000; ++i) rdap += R"({"entities":[)";
  for (int i = 0; i < 40000; ++i) rdap += "]}";
  rdap += "]}";
  auto r = parse_rdap(rdap);
  ASSERT_TRUE(r) << r.error().to_string();
  std::string toml = "a = ";
  for (int i = 0; i < 5000; ++i) toml += "[";
  auto c = parse_contacts(toml, "deep.toml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("nested"), std::string::npos);
  std::string inline_tables = "a = ";
  for (int i = 0; i < 5000; ++i) inline_tables += "{b=";
  EXPECT_FALSE(parse_csirts(inline_tables, "deep.toml"));
  // Brackets inside strings and comments do not count.
  EXPECT_TRUE(parse_contacts(
      "# [[[[[\n[[organisation]]\nname = \"[[[[{{{{\"\nnetblocks = [\"192.0.2.0/24\"]\n",
      "ok.toml"));
}

// Found by fuzz_directory: a literal string holding a byte that is not UTF-8 (here a key
// `'\xff'`) sends toml11 3.7 down an error path that reads outside its buffer. Such a file
// is refused, naming the byte, before toml11 sees it; UTF-8 Japanese names still load.
TEST(Directory, BytesThatAreNotUtf8AreRefusedNotACrash) {
  const std::string crash("'\xff'\xff\xcc\x00\x10\xff\xc6?\xff]]\xcc\x00\x10\xff\xc6?\xff]]", 22);
  auto c = parse_contacts(crash, "fuzz.toml");
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("not UTF-8 at byte 1"), std::string::npos)
      << c.error().to_string();
  EXPECT_FALSE(parse_csirts("[[csirt]]\nname = 'CERT\xed\xa0\x80'\n", "surrogate.toml"))
      << "an encoded surrogate is not UTF-8 either";
  auto ok = parse_contacts(
      "[[organisation]]\nname = 'さくらインターネット'\nnetblocks = ['192.0.2.0/24']\n", "ok.toml");
  ASSERT_TRUE(ok) << ok.error().to_string();
  EXPECT_EQ(ok->at(0).name, "さくらインターネット");
}

}  // namespace kz::enrich
