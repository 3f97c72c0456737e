// Contract tests of the store: what every back end of database.h and its repositories must do,
// written from the headers' words (and from what a handler would expect where they are short),
// so that a second back end (PostgreSQL) is held to what SQLite does. Each suite runs over a
// BackEnd: a factory of empty databases, one per test. Where a header says nothing and handlers
// rely on what the SQLite store does, the test asserts it and says so in a comment.
//
// Another back end joins by adding its BackEnd and one INSTANTIATE_TEST_SUITE_P per suite at the
// end of this file.
#include "store/database.h"

#include "report/figures.h"

#include <gtest/gtest.h>

#include <libpq-fe.h>
#include <unistd.h>
#include <future>
#include <thread>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace kz::store {
namespace {

// --- Back ends ------------------------------------------------------------------------------

// Opens a connection (a Database) to one test's database. Each call opens a further one, as a
// second process would: the lease and the visibility of commits are checked through it.
using DatabaseFactory = std::function<std::unique_ptr<Database>()>;

// The empty database of one test.
struct TestDatabase {
  DatabaseFactory connect;
  std::function<void()> dispose;  // removes it, once every connection is closed
};

// A back end under contract: its name (the last part of each test's name) and how it makes the
// empty database of one test.
struct BackEnd {
  std::string name;
  std::function<TestDatabase()> make;
};

void PrintTo(const BackEnd& b, std::ostream* os) { *os << b.name; }

std::string back_end_name(const ::testing::TestParamInfo<BackEnd>& info) { return info.param.name; }

// SQLite: a file in a directory of its own (a file, not ":memory:", so that the lock
// hold_exclusive keeps beside it works), removed with everything beside it.
BackEnd sqlite_back_end() {
  return {"sqlite", [] {
            static int serial = 0;
            const std::filesystem::path dir =
                std::filesystem::temp_directory_path() /
                ("kz_contract_" + std::to_string(::getpid()) + "_" + std::to_string(++serial));
            std::filesystem::remove_all(dir);
            std::filesystem::create_directories(dir);
            const std::string path = (dir / "kizuna.db").string();
            TestDatabase t;
            t.connect = [path]() -> std::unique_ptr<Database> {
              auto db = open_sqlite_store(path);
              if (!db) {
                ADD_FAILURE() << "open_sqlite_store(" << path << "): " << db.error().to_string();
                return nullptr;
              }
              return std::move(*db);
            };
            t.dispose = [dir] {
              std::error_code ignored;
              std::filesystem::remove_all(dir, ignored);
            };
            return t;
          }};
}

// PostgreSQL: a fresh database per test on the test run's cluster (tests/integration/
// pg_cluster.sh, whose URL file KIZUNA_TEST_PG names), copied from a template the first test of
// the run migrates. Without KIZUNA_TEST_PG (a build without the CTest fixture) the tests skip.
std::optional<std::string> test_cluster_url() {
  const char* file = std::getenv("KIZUNA_TEST_PG");
  if (!file || !*file) return std::nullopt;
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) throw std::runtime_error(std::string("no cluster URL in ") + file);
  return url;
}

// The URL of database `name` on the cluster of `admin` (a URL of its "postgres" database).
std::string database_url(const std::string& admin, const std::string& name) {
  const size_t at = admin.find("/postgres?");
  if (at == std::string::npos) throw std::runtime_error("unexpected cluster URL " + admin);
  return admin.substr(0, at + 1) + name + admin.substr(at + 9);
}

// Runs `sql` on the cluster's "postgres" database; throws with the server's message.
void admin_exec(const std::string& admin, const std::string& sql) {
  PGconn* c = PQconnectdb(admin.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string e = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot reach the test cluster: " + e);
  }
  PGresult* r = PQexec(c, sql.c_str());
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string e = ok ? "" : PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) throw std::runtime_error(sql + ": " + e);
}

constexpr const char* kTemplate = "kizuna_contract_template";

// Makes the migrated template once per run; processes of the same run wait for each other.
void ensure_template(const std::string& admin) {
  PGconn* c = PQconnectdb(admin.c_str());
  PQclear(PQexec(c, "SELECT pg_advisory_lock(7341)"));
  PGresult* r = PQexec(
      c, (std::string("SELECT 1 FROM pg_database WHERE datname='") + kTemplate + "'").c_str());
  const bool exists = PQntuples(r) == 1;
  PQclear(r);
  if (!exists) {
    PQclear(PQexec(c, (std::string("CREATE DATABASE ") + kTemplate).c_str()));
    auto db = open_postgres_store(database_url(admin, kTemplate));
    if (!db) {
      PQfinish(c);
      throw std::runtime_error("migrating the template: " + db.error().to_string());
    }
  }
  PQclear(PQexec(c, "SELECT pg_advisory_unlock(7341)"));
  PQfinish(c);
}

BackEnd postgres_back_end() {
  return {"postgresql", [] {
            const auto admin = test_cluster_url();
            if (!admin) return TestDatabase{};
            ensure_template(*admin);
            static int serial = 0;
            const std::string name =
                "kz_contract_" + std::to_string(::getpid()) + "_" + std::to_string(++serial);
            admin_exec(*admin, "DROP DATABASE IF EXISTS " + name);
            admin_exec(*admin, "CREATE DATABASE " + name + " TEMPLATE " + kTemplate);
            const std::string url = database_url(*admin, name);
            TestDatabase t;
            t.connect = [url]() -> std::unique_ptr<Database> {
              auto db = open_postgres_store(url);
              if (!db) {
                ADD_FAILURE() << "open_postgres_store(" << url << "): " << db.error().to_string();
                return nullptr;
              }
              return std::move(*db);
            };
            t.dispose = [admin = *admin, name] {
              try {
                admin_exec(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
              } catch (const std::exception&) {
                // the cluster is thrown away at the end of the run
              }
            };
            return t;
          }};
}

// --- Results and collections ----------------------------------------------------------------

// The value of `r`. A failure ends the test there with the store's error (gtest reports the
// exception), so that a test reads as the outcome it checks.
template <typename T>
T must(Result<T> r) {
  if (!r) throw std::runtime_error("store error: " + r.error().to_string());
  if constexpr (std::is_void_v<T>) {
    return;
  } else {
    return std::move(*r);
  }
}

std::string code_name(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalidArgument:
      return "kInvalidArgument";
    case ErrorCode::kParse:
      return "kParse";
    case ErrorCode::kNotFound:
      return "kNotFound";
    case ErrorCode::kIo:
      return "kIo";
    case ErrorCode::kUnavailable:
      return "kUnavailable";
    case ErrorCode::kCorruption:
      return "kCorruption";
    case ErrorCode::kInternal:
      return "kInternal";
    case ErrorCode::kDenied:
      return "kDenied";
    case ErrorCode::kLimited:
      return "kLimited";
  }
  return "unknown";
}

// "ok", or the code the call failed with ("kNotFound", ...).
template <typename T>
std::string outcome(const Result<T>& r) {
  return r ? std::string("ok") : code_name(r.error().code);
}

using Text = std::optional<std::string>;

// The numbers of the records listed, in their order.
template <typename T>
std::vector<Id> ids(const std::vector<T>& list) {
  std::vector<Id> out;
  for (const T& x : list) {
    if constexpr (std::is_same_v<T, ReportSummary>) {
      out.push_back(x.report.id);
    } else if constexpr (std::is_same_v<T, IncidentSummary>) {
      out.push_back(x.incident.id);
    } else if constexpr (std::is_same_v<T, NoticeCandidate>) {
      out.push_back(x.site);
    } else if constexpr (std::is_same_v<T, ReporterContact>) {
      out.push_back(x.report);
    } else {
      out.push_back(x.id);
    }
  }
  return out;
}

template <typename T>
std::set<T> set_of(const std::vector<T>& list) {
  return std::set<T>(list.begin(), list.end());
}

template <typename T>
std::vector<T> sorted(std::vector<T> list) {
  std::sort(list.begin(), list.end());
  return list;
}

std::multiset<std::string> indicator_texts(const std::vector<IndicatorRecord>& list) {
  std::multiset<std::string> out;
  for (const IndicatorRecord& i : list)
    out.insert(i.kind + " " + i.value + " " + i.role + " " + i.source);
  return out;
}

std::string cls_text(const Classification& c) {
  return std::string(kz::to_string(c.type)) + "/" + c.subtype + "/" + c.rsit_taxonomy + "/" +
         c.rsit_type;
}

// Hits per "proto/port".
std::map<std::string, int> port_hits(const std::vector<PortHit>& ports) {
  std::map<std::string, int> out;
  for (const PortHit& p : ports) out[p.proto + "/" + std::to_string(p.port)] += p.hits;
  return out;
}

// The URLs of the sites, by incident, sorted.
std::map<Id, std::vector<std::string>> urls_by_incident(const std::vector<SiteRecord>& sites) {
  std::map<Id, std::vector<std::string>> out;
  for (const SiteRecord& s : sites) out[s.incident].push_back(s.url);
  for (auto& entry : out) std::sort(entry.second.begin(), entry.second.end());
  return out;
}

// --- Records --------------------------------------------------------------------------------

Time at(int64_t seconds) { return Time{std::chrono::seconds{seconds}}; }

// A message as intake stores it, received (and ingested) at `received`.
MessageRecord a_message(const std::string& sha256, Time received = at(1000)) {
  MessageRecord m;
  m.sha256 = sha256;
  m.source = "inbox.mbox";
  m.received_at = received;
  m.ingested_at = received;
  m.sender = "reporter@example.org";
  m.subject = "Phishing site " + sha256;
  return m;
}

// The bytes stored with `m`: different for every hash, as content addressing has it.
std::string bytes_of(const MessageRecord& m) {
  return "From: " + m.sender + "\r\nSubject: " + m.subject + "\r\n\r\n" + m.sha256 + "\r\n";
}

MessageRecord a_quarantined_message(const std::string& sha256, Time received = at(1000)) {
  MessageRecord m = a_message(sha256, received);
  m.parse_status = ParseStatus::kQuarantined;
  m.parse_error = "no blank line after the header";
  return m;
}

ReportRecord a_report(IncidentType type = IncidentType::kPhishing, Time created = at(1000)) {
  ReportRecord r;
  r.created_at = created;
  r.cls.type = type;
  return r;
}

UserRecord user_record(const std::string& name, const std::string& role, const std::string& hash,
                       Time created) {
  UserRecord u;
  u.name = name;
  u.role = role;
  u.password_hash = hash;
  u.created_at = created;
  return u;
}

ReporterRecord a_reporter(const std::string& address) {
  ReporterRecord r;
  r.address = address;
  r.name = "Example CSIRT";
  r.org_domain = "example.org";
  r.tld = "org";
  r.kind = "csirt";
  return r;
}

IncidentRecord an_incident(Id report, const std::string& ip,
                           IncidentType type = IncidentType::kPhishing, Time created = at(1000)) {
  IncidentRecord i;
  i.report = report;
  i.ip = ip;
  i.cls.type = type;
  i.created_at = created;
  return i;
}

// An incident keyed by host: the host has not resolved yet.
IncidentRecord a_host_incident(Id report, const std::string& host) {
  IncidentRecord i = an_incident(report, "");
  i.host = host;
  return i;
}

constexpr const char* kRoute = R"({"to":["abuse@isp.example"],"reason":"RDAP abuse contact"})";

// An incident enrichment could route at once (intake stores most incidents so).
IncidentRecord a_routed_incident(Id report, const std::string& ip) {
  IncidentRecord i = an_incident(report, ip);
  i.enrichment.country = "JP";
  i.enrichment.org = "Example ISP";
  i.enrichment.org_kind = "isp";
  i.enrichment.route = kRoute;
  i.enrichment.version = 1;
  return i;
}

// A notice to a responder naming `sites`.
NoticeRecord a_notice(std::vector<Id> sites, const std::string& status = "planned",
                      Time planned = at(1000)) {
  NoticeRecord n;
  n.org = "Example ISP";
  n.org_kind = "isp";
  n.to = {"abuse@isp.example"};
  n.tag = "[Kizuna#N1]";
  n.subject = "Phishing site on your network";
  n.body = "Please take it down.";
  n.reason = "RDAP abuse contact";
  n.status = *parse_notice_status(status);
  n.planned_at = planned;
  n.sites = std::move(sites);
  return n;
}

DataSetInfo data_set_info(const std::string& kind, const std::string& source, Time loaded,
                          int64_t entries, int64_t problems = 0) {
  DataSetInfo i;
  i.kind = kind;
  i.source = source;
  i.loaded_at = loaded;
  i.entries = entries;
  i.problems = problems;
  return i;
}

// "phish.example" of "http://phish.example/login".
std::string host_of(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  return url.substr(start, url.find('/', start) - start);
}

// --- The fixture ----------------------------------------------------------------------------

class StoreContract : public ::testing::TestWithParam<BackEnd> {
 protected:
  void SetUp() override {
    test_database_ = GetParam().make();
    if (!test_database_.connect) GTEST_SKIP() << "no PostgreSQL cluster (KIZUNA_TEST_PG unset)";
    db_ = test_database_.connect();
    ASSERT_TRUE(db_ != nullptr) << "the back end could not open an empty database";
  }
  void TearDown() override {
    db_.reset();
    if (test_database_.dispose) test_database_.dispose();
  }

  Database& db() { return *db_; }
  // A further connection to this test's database (another process, as far as the store knows).
  std::unique_ptr<Database> connect_again() { return test_database_.connect(); }

  Id stored(const MessageRecord& m) { return must(db().messages().add_message(m, bytes_of(m))); }
  // Stores `m` and files it under `report` with `role`.
  Id filed(Id report, const MessageRecord& m, const std::string& role = "first") {
    const Id id = stored(m);
    must(db().reports().attach_message(report, id, role));
    return id;
  }
  Id new_report(const ReportRecord& r) { return must(db().reports().create_report(r)); }
  // A report by `reporter` (0: nobody known) with its first message.
  Id reported_by(Id reporter, const MessageRecord& first) {
    ReportRecord r = a_report();
    r.reporter = reporter;
    const Id id = new_report(r);
    filed(id, first, "first");
    return id;
  }
  Id new_reporter(const std::string& address) {
    return must(db().reporters().upsert_reporter(a_reporter(address)));
  }
  Id new_incident(const IncidentRecord& i) { return must(db().incidents().upsert_incident(i)); }
  // Adds the site and returns its number (add_site says only whether it was new).
  Id new_site(Id incident, const std::string& url, Time created = at(1000)) {
    EXPECT_TRUE(must(db().sites().add_site(incident, url, host_of(url), created))) << url;
    const Id report = must(db().incidents().get_incident(incident)).report;
    for (const SiteRecord& s : must(db().sites().sites_of_report(report))) {
      if (s.incident == incident && s.url == url) return s.id;
    }
    throw std::runtime_error("the site just added is not listed: " + url);
  }
  // `n` sites of a new report's incident.
  std::vector<Id> new_sites(int n) {
    const Id incident = new_incident(an_incident(new_report(a_report()), "192.0.2.200"));
    std::vector<Id> out;
    for (int k = 0; k < n; ++k)
      out.push_back(new_site(incident, "http://site" + std::to_string(++serial_) + ".example/"));
    return out;
  }
  // Adds the notice and writes what follows planning (approval, sending) as the sender would.
  Id new_notice(NoticeRecord n) {
    n.id = must(db().outbox().add_notice(n));
    must(db().outbox().update_notice(n));
    return n.id;
  }
  // Changes the checker's and notifier's bookkeeping of a site.
  void update_site(Id site, const std::function<void(SiteRecord&)>& change) {
    SiteRecord s = must(db().sites().get_site(site));
    change(s);
    must(db().sites().update_site_coord(s));
  }
  void close_report(Id report, Time when) {
    must(db().reports().set_report_status(report, ReportStatus::kClosed, when));
  }

 private:
  TestDatabase test_database_;
  std::unique_ptr<Database> db_;
  int serial_ = 0;
};

class MessageStoreContract : public StoreContract {};
class ReportStoreContract : public StoreContract {};
class IncidentStoreContract : public StoreContract {};
class SiteStoreContract : public StoreContract {};
class OutboxStoreContract : public StoreContract {};
class ReporterStoreContract : public StoreContract {};
class EventLogContract : public StoreContract {};
class NetworkDataStoreContract : public StoreContract {};
class SettingStoreContract : public StoreContract {};
class ReportQueriesContract : public StoreContract {};
class TransactionsContract : public StoreContract {};
class JobClaimsContract : public StoreContract {};
class UserStoreContract : public StoreContract {};

// --- MessageStore ---------------------------------------------------------------------------

TEST_P(MessageStoreContract, AStoredMessageIsFoundByItsHashAndKeepsItsBytes) {
  const std::string raw = std::string("Subject: x\r\n\r\nbody") + '\0' + "after a NUL\r\n";
  must(db().begin());
  const Id id = must(db().messages().add_message(a_message("sha-a"), raw));
  must(db().commit());
  EXPECT_EQ(must(db().messages().find_message("sha-a")), id);
  EXPECT_FALSE(must(db().messages().find_message("sha-unknown")));
  EXPECT_EQ(must(db().messages().message_raw(id)), raw) << "every byte, NUL included";
}

TEST_P(MessageStoreContract, TheSameBytesAreStoredOnce) {
  const MessageRecord m = a_message("sha-a");
  must(db().begin());
  const Id first = stored(m);
  must(db().commit());
  must(db().begin());
  EXPECT_FALSE(db().messages().add_message(m, bytes_of(m))) << "the same bytes a second time";
  db().rollback();
  EXPECT_EQ(must(db().messages().find_message("sha-a")), first);
  EXPECT_EQ(must(db().messages().message_raw(first)), bytes_of(m));
}

TEST_P(MessageStoreContract, BytesSpilledToDiskComeBackAfterTheHead) {
  const std::string head = "Subject: large\r\n\r\n";
  const std::string tail = "the part kept on disk\r\n";
  auto spill = SpillFile::create("");
  ASSERT_TRUE(spill) << spill.error().to_string();
  ASSERT_TRUE((*spill)->append(tail));
  must(db().begin());
  const Id id = must(db().messages().add_message(a_quarantined_message("sha-large"),
                                                 RawBytes(head, spill->get())));
  must(db().commit());
  EXPECT_EQ(must(db().messages().message_raw(id)), head + tail);
  EXPECT_EQ(must(db().messages().quarantined_message(id)).size,
            static_cast<int64_t>(head.size() + tail.size()))
      << "the size stored is raw.size()";
}

TEST_P(MessageStoreContract, IndicatorsComeBackAsStoredInAnyOrder) {
  const std::vector<IndicatorRecord> list = {
      {"ip", "192.0.2.7", "reported", "body"},
      {"url", "http://phish.example/login", "reported", "attachment:report.txt"},
      {"email", "victim@example.jp", "victim", "body"}};
  must(db().begin());
  const Id id = stored(a_message("sha-a"));
  const Id other = stored(a_message("sha-b"));
  must(db().messages().add_indicators(id, list));
  must(db().messages().add_indicators(other, {{"domain", "other.example", "mentioned", "body"}}));
  must(db().commit());
  EXPECT_EQ(indicator_texts(must(db().messages().indicators_of(id))), indicator_texts(list));
  EXPECT_EQ(must(db().messages().indicators_of(other)).size(), 1u);
}

TEST_P(MessageStoreContract, APurposeDecidedLaterDecidesHowTheMessageIsCounted) {
  must(db().begin());
  const Id message = filed(new_report(a_report()), a_message("sha-a", at(1000)));
  must(db().commit());
  const report::Figures before =
      report::figures(must(db().queries().figure_rows(at(0), at(2000))), 100);
  EXPECT_EQ(before.messages, 1);
  EXPECT_EQ(before.non_incident, 0);
  must(db().begin());
  must(db().messages().set_message_purpose(message, Purpose::kQuestion));
  must(db().commit());
  const report::Figures after =
      report::figures(must(db().queries().figure_rows(at(0), at(2000))), 100);
  EXPECT_EQ(after.messages, 0) << "a question is not an incident message";
  EXPECT_EQ(after.non_incident, 1);
}

TEST_P(MessageStoreContract, QuarantinedMessagesAreListedNewestFirst) {
  // Stored in the order received, so that "newest" means the same by number and by time.
  must(db().begin());
  const Id q1 = stored(a_quarantined_message("sha-q1", at(1000)));
  stored(a_message("sha-ok", at(1500)));
  const Id q2 = stored(a_quarantined_message("sha-q2", at(2000)));
  const Id q3 = stored(a_quarantined_message("sha-q3", at(3000)));
  must(db().commit());
  EXPECT_EQ(ids(must(db().messages().quarantined_messages(10))), (std::vector<Id>{q3, q2, q1}));
  EXPECT_EQ(ids(must(db().messages().quarantined_messages(2))), (std::vector<Id>{q3, q2}))
      << "at most `limit`";
}

TEST_P(MessageStoreContract, AQuarantinedMessageIsDescribedAndCanBeFiledAgain) {
  MessageRecord m = a_quarantined_message("sha-q", at(1000));
  m.ingested_at = at(1010);
  must(db().begin());
  const Id id = stored(m);
  must(db().commit());
  const QuarantinedMessage q = must(db().messages().quarantined_message(id));
  EXPECT_EQ(q.id, id);
  EXPECT_EQ(q.sha256, "sha-q");
  EXPECT_EQ(q.channel, "email");
  EXPECT_EQ(q.source, "inbox.mbox");
  EXPECT_EQ(q.reason, "no blank line after the header");
  EXPECT_EQ(q.size, static_cast<int64_t>(bytes_of(m).size()));
  EXPECT_EQ(q.received_at, at(1000));
  EXPECT_EQ(q.ingested_at, at(1010));
  // `quarantine retry`: removed, and the same bytes filed again in the same transaction.
  must(db().begin());
  must(db().messages().remove_quarantined(id));
  m.parse_status = ParseStatus::kOk;
  m.parse_error.clear();
  const Id again = stored(m);
  must(db().commit());
  EXPECT_EQ(must(db().messages().find_message("sha-q")), again);
  EXPECT_EQ(must(db().messages().message_raw(again)), bytes_of(m));
  EXPECT_TRUE(must(db().messages().quarantined_messages(10)).empty());
}

TEST_P(MessageStoreContract, UnknownOrUnquarantinedMessagesAreNotFound) {
  const MessageRecord m = a_message("sha-ok");
  must(db().begin());
  const Id ok = stored(m);
  must(db().commit());
  const Id unknown = ok + 1000;
  EXPECT_EQ(outcome(db().messages().message_raw(unknown)), "kNotFound");
  EXPECT_EQ(outcome(db().messages().quarantined_message(unknown)), "kNotFound");
  EXPECT_EQ(outcome(db().messages().quarantined_message(ok)), "kNotFound") << "not quarantined";
  must(db().begin());
  EXPECT_EQ(outcome(db().messages().remove_quarantined(unknown)), "kNotFound");
  EXPECT_EQ(outcome(db().messages().remove_quarantined(ok)), "kNotFound") << "not quarantined";
  must(db().commit());
  EXPECT_EQ(must(db().messages().message_raw(ok)), bytes_of(m)) << "left as it was";
}

// --- ReportStore ----------------------------------------------------------------------------

TEST_P(ReportStoreContract, AReportReadsBackAsCreated) {
  must(db().begin());
  const Id reporter = new_reporter("csirt@example.org");
  const Id earlier = new_report(a_report());
  ReportRecord r = a_report(IncidentType::kOther, at(5000));
  r.cls.subtype = "dos";
  r.cls.rsit_taxonomy = "availability";
  r.cls.rsit_type = "ddos";
  r.reporter = reporter;
  r.tld = "org";
  r.xarf_report_id = "xarf-7";
  r.brand = "Example Bank";
  r.brand_origin = "domestic";
  r.tlp = "amber";
  r.csam = true;
  r.linked_report = earlier;
  r.summary = "a flood from one address";
  r.disclose_reporter = true;
  const Id id = new_report(r);
  must(db().commit());
  const ReportRecord got = must(db().reports().get_report(id));
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.created_at, at(5000));
  EXPECT_EQ(to_string(got.status), "open");
  EXPECT_FALSE(got.closed_at);
  EXPECT_EQ(cls_text(got.cls), cls_text(r.cls));
  EXPECT_EQ(got.reporter, reporter);
  EXPECT_EQ(got.tld, "org");
  EXPECT_EQ(got.xarf_report_id, "xarf-7");
  EXPECT_EQ(got.brand, "Example Bank");
  EXPECT_EQ(got.brand_origin, "domestic");
  EXPECT_EQ(got.tlp, "amber");
  EXPECT_TRUE(got.csam);
  EXPECT_EQ(got.linked_report, earlier);
  EXPECT_EQ(got.summary, "a flood from one address");
  EXPECT_TRUE(got.disclose_reporter);
}

TEST_P(ReportStoreContract, AHandlersWorkOnAReportReadsBack) {
  const Time t = at(1000);
  must(db().begin());
  const Id user = must(db().users().add_user(user_record("tanaka", "handler", "", t)));
  const Id r = new_report(a_report());
  must(db().reports().set_assignee(r, user));
  must(db().reports().set_tlp(r, "RED"));
  must(db().reports().add_tags(r, {"phishing-kit", "urgent"}));
  must(db().reports().remove_tags(r, {"urgent", "never-there"}));
  const Id n1 = must(db().reports().add_note({0, r, "user:tanaka", at(1100), "called the host"}));
  const Id n2 = must(db().reports().add_note({0, r, "user:sato", at(1200), "折り返し待ち"}));
  must(db().commit());
  const ReportRecord got = must(db().reports().get_report(r));
  EXPECT_EQ(got.assignee, user);
  EXPECT_EQ(got.tlp, "RED");
  EXPECT_EQ(must(db().reports().tags_of(r)), (std::vector<std::string>{"phishing-kit"}));
  const auto notes = must(db().reports().notes_of(r));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].id, n1);
  EXPECT_EQ(notes[0].author, "user:tanaka");
  EXPECT_EQ(notes[0].created_at, at(1100));
  EXPECT_EQ(notes[1].id, n2);
  EXPECT_EQ(notes[1].body, "折り返し待ち");
  EXPECT_EQ(must(db().queries().report_detail(r)).notes.size(), 2u);
  must(db().begin());
  must(db().reports().set_assignee(r, std::nullopt));
  must(db().commit());
  EXPECT_FALSE(must(db().reports().get_report(r)).assignee);
}

TEST_P(MessageStoreContract, AMessageKeepsTheMarkingItArrivedWith) {
  MessageRecord red = a_message("sha-red");
  red.tlp = "TLP:RED";
  must(db().begin());
  const Id id = stored(red);
  const Id plain = stored(a_message("sha-plain"));
  must(db().commit());
  EXPECT_EQ(must(db().messages().message_marking(id)), "TLP:RED");
  EXPECT_EQ(must(db().messages().message_marking(plain)), "");
  EXPECT_EQ(outcome(db().messages().message_marking(id + plain + 1000)), "kNotFound");
}

// The messages a search finds, by number, the newest first.
std::vector<Id> found(Database& db, MessageSearch q) {
  std::vector<Id> out;
  for (const MessageHit& h : must(db.messages().search_messages(q)).hits) out.push_back(h.message);
  return out;
}

MessageSearch search_for(const std::string& text) {
  MessageSearch q;
  q.text = text;
  return q;
}

TEST_P(MessageStoreContract, ASearchFindsASubstringTheSameBeforeAndAfterIndexing) {
  must(db().begin());
  const Id a = stored(a_message("sha-a"));
  const Id b = stored(a_message("sha-b"));
  const Id c = stored(a_message("sha-c"));
  const Id d = stored(a_message("sha-d"));
  must(db().messages().add_message_text(a, "phishing at paypa1-login.example\n203.0.113.7"));
  must(db().messages().add_message_text(b, "subject: 100% sure_thing [x]*?\n"));
  must(db().messages().add_message_text(c, "銀行を装った詐欺メール paypa1-login.example/verify"));
  must(db().messages().add_message_text(d, "nothing to see"));
  must(db().commit());
  auto expect_all = [&](const std::string& when) {
    EXPECT_EQ(found(db(), search_for("paypa1-login")), (std::vector<Id>{c, a})) << when;
    EXPECT_EQ(found(db(), search_for("113.7")), (std::vector<Id>{a})) << when;
    // Pattern characters of either back end are taken literally.
    EXPECT_EQ(found(db(), search_for("100% sure_thing")), (std::vector<Id>{b})) << when;
    EXPECT_EQ(found(db(), search_for("[x]*?")), (std::vector<Id>{b})) << when;
    EXPECT_TRUE(found(db(), search_for("100%thing")).empty()) << when;
    EXPECT_TRUE(found(db(), search_for("1_0")).empty()) << when;
    EXPECT_EQ(found(db(), search_for("詐欺メール")), (std::vector<Id>{c})) << when;
    // Two characters: read by scanning, the same answer.
    EXPECT_EQ(found(db(), search_for("詐欺")), (std::vector<Id>{c})) << when;
    EXPECT_EQ(found(db(), search_for("%")), (std::vector<Id>{b})) << when;
    EXPECT_TRUE(found(db(), search_for("absent text")).empty()) << when;
  };
  expect_all("before indexing");
  must(db().begin());
  const int indexed = must(db().messages().index_search(3));
  must(db().commit());
  EXPECT_EQ(indexed, 3) << "three indexed, the fourth scanned";
  expect_all("partly indexed");
  must(db().begin());
  must(db().messages().index_search(1000));
  must(db().commit());
  expect_all("indexed");
  must(db().begin());
  EXPECT_EQ(must(db().messages().index_search(1000)), 0) << "nothing left to index";
  must(db().commit());
  EXPECT_EQ(outcome(db().messages().search_messages(search_for(""))), "kInvalidArgument");
}

TEST_P(MessageStoreContract, AMessageStoredBeforeSearchGetsItsTextAndIsFound) {
  must(db().begin());
  const Id old_one = stored(a_message("sha-old-1"));
  const Id old_two = stored(a_message("sha-old-2"));
  stored(a_quarantined_message("sha-unread"));
  const Id fresh = stored(a_message("sha-fresh"));
  must(db().messages().add_message_text(fresh, "fresh text"));
  must(db().messages().index_search(100));  // the index is past every message now
  must(db().commit());
  EXPECT_EQ(must(db().messages().messages_without_text(0, 10)), (std::vector<Id>{old_one, old_two}))
      << "not the quarantined one, not one with text";
  EXPECT_EQ(must(db().messages().messages_without_text(old_one, 10)), (std::vector<Id>{old_two}));
  EXPECT_EQ(must(db().messages().newest_message()), fresh);
  must(db().begin());
  must(db().messages().add_late_message_text(old_one, "an old phishing report"));
  must(db().messages().add_late_message_text(old_two, ""));
  must(db().commit());
  EXPECT_TRUE(must(db().messages().messages_without_text(0, 10)).empty());
  EXPECT_EQ(found(db(), search_for("old phishing")), (std::vector<Id>{old_one}))
      << "found through the index, which was past it";
  must(db().begin());
  EXPECT_EQ(must(db().messages().index_search(100)), 0) << "nothing indexed twice";
  must(db().commit());
  EXPECT_EQ(found(db(), search_for("old phishing")), (std::vector<Id>{old_one}));
}

TEST_P(MessageStoreContract, ASearchPagesNewestFirstAndSaysHowFarAShortOneRead) {
  must(db().begin());
  std::vector<Id> ids;
  for (int k = 0; k < 5; ++k) {
    ids.push_back(stored(a_message("sha-page-" + std::to_string(k))));
    must(db().messages().add_message_text(ids.back(), "line " + std::to_string(k) + " 詐欺"));
  }
  must(db().commit());
  MessageSearch q = search_for("line");
  q.limit = 2;
  auto first = must(db().messages().search_messages(q));
  ASSERT_EQ(first.hits.size(), 2u);
  EXPECT_EQ(first.hits[0].message, ids[4]);
  EXPECT_EQ(first.hits[1].message, ids[3]);
  EXPECT_TRUE(first.more);
  EXPECT_FALSE(first.scanned_above);
  q.before = ids[3];
  q.limit = 10;
  auto rest = must(db().messages().search_messages(q));
  EXPECT_EQ(rest.hits.size(), 3u);
  EXPECT_FALSE(rest.more);
  // A short text reads the newest short_scan messages only, and says where it stopped.
  MessageSearch s = search_for("詐欺");
  s.short_scan = 2;
  auto recent = must(db().messages().search_messages(s));
  ASSERT_EQ(recent.hits.size(), 2u);
  EXPECT_EQ(recent.hits[0].message, ids[4]);
  ASSERT_TRUE(recent.scanned_above);
  EXPECT_EQ(*recent.scanned_above, ids[2]);
}

TEST_P(MessageStoreContract, ASearchLeavesOutWhatTheCallerMayNotSee) {
  must(db().begin());
  ReportRecord red = a_report();
  red.tlp = "RED";
  const Id red_report = new_report(red);
  const Id in_red = filed(red_report, a_message("sha-in-red"));
  ReportRecord amber = a_report();
  amber.tlp = "AMBER";
  const Id in_amber = filed(new_report(amber), a_message("sha-in-amber"));
  MessageRecord red_alone = a_message("sha-red-alone");
  red_alone.tlp = "TLP:RED";
  const Id alone = stored(red_alone);
  const Id unmarked = stored(a_message("sha-unmarked"));
  for (Id m : {in_red, in_amber, alone, unmarked})
    must(db().messages().add_message_text(m, "canary text " + std::to_string(m)));
  must(db().commit());
  MessageSearch q = search_for("canary");
  EXPECT_EQ(found(db(), q), (std::vector<Id>{unmarked, alone, in_amber, in_red})) << "admin";
  q.hide_red = true;
  q.viewer = 999;
  EXPECT_EQ(found(db(), q), (std::vector<Id>{unmarked, in_amber})) << "not the assignee";
  const Id assignee = must(db().users().add_user(user_record("handler-h", "handler", "", at(1))));
  must(db().reports().set_assignee(red_report, assignee));
  q.viewer = assignee;
  EXPECT_EQ(found(db(), q), (std::vector<Id>{unmarked, in_amber, in_red})) << "the assignee";
  q.blank_is_red = true;
  EXPECT_EQ(found(db(), q), (std::vector<Id>{in_amber, in_red})) << "unmarked counts as RED";
  const auto hit =
      must(db().messages().search_messages(search_for("canary text " + std::to_string(in_amber))));
  ASSERT_EQ(hit.hits.size(), 1u);
  ASSERT_TRUE(hit.hits[0].report);
}

TEST_P(ReportStoreContract, AMergeMovesEverythingAndJoinsWhatBothReportsHave) {
  must(db().begin());
  const Id kept_report = new_report(a_report());
  const Id merged_report = new_report(a_report());
  filed(kept_report, a_message("sha-kept"));
  const Id second = filed(merged_report, a_message("sha-merged"));
  const Id kept_incident = new_incident(an_incident(kept_report, "192.0.2.1"));
  must(db().incidents().add_ports(kept_incident, {{"tcp", 22, 5}}));
  const Id kept_site = new_site(kept_incident, "http://x.example/a");
  const Id clash = new_incident(an_incident(merged_report, "192.0.2.1"));
  must(db().incidents().add_ports(clash, {{"tcp", 22, 2}, {"tcp", 23, 1}}));
  const Id twin = new_site(clash, "http://x.example/a");
  const Id other_site = new_site(clash, "http://x.example/b");
  const Id moving = new_incident(an_incident(merged_report, "192.0.2.2"));
  must(db().sites().set_site_state(twin, SiteState::kNotified, at(1500)));
  SiteCheck check;
  check.site = twin;
  check.checked_at = at(1400);
  check.verdict = CheckOutcome::kLive;
  must(db().sites().add_site_check(check));
  must(db().reports().add_tags(kept_report, {"a"}));
  must(db().reports().add_tags(merged_report, {"a", "b"}));
  const Id linked = new_report(a_report());
  must(db().commit());

  must(db().begin());
  const MergeOutcome m = must(db().reports().merge_report(merged_report, kept_report, at(2000)));
  must(db().commit());
  EXPECT_EQ(m.messages, 1);
  EXPECT_EQ(m.incidents_moved, 1);
  EXPECT_EQ(m.incidents_joined, 1);
  EXPECT_EQ(m.sites_joined, 1);
  const auto [messages, incidents] = must(db().reports().contents_of(kept_report));
  EXPECT_EQ(messages.size(), 2u);
  EXPECT_EQ(incidents, (std::vector<Id>{kept_incident, moving}));
  EXPECT_EQ(must(db().reports().report_of_message(second)), kept_report);
  EXPECT_EQ(must(db().reports().tags_of(kept_report)), (std::vector<std::string>{"a", "b"}));
  // The joined incident added up its ports; the twin site gave its check and its state (the
  // kept one was still new) and is gone; the other site moved.
  std::map<std::string, SiteRecord> sites;
  for (const SiteRecord& s : must(db().sites().sites_of_report(kept_report))) sites[s.url] = s;
  ASSERT_EQ(sites.size(), 2u);
  EXPECT_EQ(sites["http://x.example/a"].id, kept_site);
  EXPECT_EQ(sites["http://x.example/a"].state, SiteState::kNotified);
  EXPECT_EQ(sites["http://x.example/b"].id, other_site);
  EXPECT_EQ(must(db().sites().site_checks(kept_site)).size(), 1u);
  std::map<int, int> tcp_hits;
  for (const IncidentSummary& i : must(db().queries().report_detail(kept_report)).incidents) {
    if (i.incident.id != kept_incident) continue;
    for (const PortHit& p : i.ports) tcp_hits[p.port] = p.hits;
  }
  EXPECT_EQ(tcp_hits, (std::map<int, int>{{22, 7}, {23, 1}})) << "ports added up";
  const ReportRecord gone = must(db().reports().get_report(merged_report));
  EXPECT_EQ(gone.status, ReportStatus::kClosed);
  EXPECT_EQ(gone.closed_at, at(2000));
  EXPECT_EQ(gone.merged_into, kept_report);
  EXPECT_EQ(must(db().reports().contents_of(merged_report)).second.size(), 0u);
  EXPECT_FALSE(must(db().reports().get_report(linked)).merged_into);
  const FigureRows f = must(db().queries().figure_rows(at(0), at(100000)));
  EXPECT_EQ(f.reports, 2) << "the merged report is not a report of its own";
}

TEST_P(ReportStoreContract, ASplitTakesTheMessagesAndIncidentsNamed) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id m1 = filed(r, a_message("sha-1"));
  const Id m2 = filed(r, a_message("sha-2"), "followup");
  const Id keep = new_incident(an_incident(r, "192.0.2.1"));
  const Id go = new_incident(an_incident(r, "192.0.2.2"));
  new_site(go, "http://go.example/");
  ReportRecord fresh = a_report();
  fresh.linked_report = r;
  const Id made = must(db().reports().split_report(r, fresh, {m2}, {go}));
  must(db().commit());
  EXPECT_EQ(must(db().reports().contents_of(r)),
            (std::pair<std::vector<Id>, std::vector<Id>>{{m1}, {keep}}));
  EXPECT_EQ(must(db().reports().contents_of(made)),
            (std::pair<std::vector<Id>, std::vector<Id>>{{m2}, {go}}));
  EXPECT_EQ(must(db().sites().sites_of_report(made)).size(), 1u);
  EXPECT_EQ(must(db().reports().get_report(made)).linked_report, r);
  EXPECT_EQ(must(db().queries().report_detail(made)).messages.at(0).role, "first");
}

TEST_P(ReportStoreContract, AStatusLinkLeadsToItsReportWithItsEnd) {
  must(db().begin());
  const Id r = new_report(a_report());
  must(db().reports().add_status_link(r, std::string(64, 'a'), at(1000), at(9000)));
  must(db().commit());
  // A hash is unique: the insert fails, or (writes pipelined on PostgreSQL) the commit does.
  must(db().begin());
  const bool inserted =
      bool(db().reports().add_status_link(r, std::string(64, 'a'), at(1000), at(9000)));
  const bool committed = inserted && bool(db().commit());
  if (!committed) db().rollback();
  EXPECT_FALSE(committed) << "a hash is unique";
  auto link = must(db().reports().status_link(std::string(64, 'a')));
  ASSERT_TRUE(link);
  EXPECT_EQ(link->first, r);
  EXPECT_EQ(link->second, at(9000));
  EXPECT_FALSE(must(db().reports().status_link(std::string(64, 'b'))));
}

TEST_P(ReportStoreContract, AMessageLeadsToTheReportItIsFiledUnder) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id filed_message = filed(r, a_message("sha-filed"), "first");
  const Id alone = stored(a_message("sha-alone"));
  must(db().commit());
  EXPECT_EQ(must(db().reports().report_of_message(filed_message)), r);
  EXPECT_FALSE(must(db().reports().report_of_message(alone)));
}

TEST_P(ReportStoreContract, AnUnknownReportIsNotFound) {
  EXPECT_EQ(outcome(db().reports().get_report(4242)), "kNotFound");
}

TEST_P(ReportStoreContract, AThreadLeadsToTheReportHoldingItsMessage) {
  MessageRecord m = a_message("sha-a");
  m.message_id = "first@reporter.example";
  must(db().begin());
  new_report(a_report());
  const Id r = new_report(a_report());
  filed(r, m);
  must(db().commit());
  EXPECT_EQ(
      must(db().reports().report_by_thread({"unrelated@x.example", "first@reporter.example"})), r);
  EXPECT_FALSE(must(db().reports().report_by_thread({"unrelated@x.example"})));
}

TEST_P(ReportStoreContract, AnXarfReportIdLeadsToItsReport) {
  ReportRecord x = a_report();
  x.xarf_report_id = "8f3c-xarf";
  must(db().begin());
  new_report(a_report());
  const Id r = new_report(x);
  must(db().commit());
  EXPECT_EQ(must(db().reports().report_by_xarf_id("8f3c-xarf")), r);
  EXPECT_FALSE(must(db().reports().report_by_xarf_id("another-xarf")));
}

TEST_P(ReportStoreContract, OnlyAnOpenReportIsFoundByItsSiteUrl) {
  must(db().begin());
  const Id r = new_report(a_report());
  new_site(new_incident(an_incident(r, "192.0.2.1")), "http://phish.example/login");
  must(db().commit());
  EXPECT_EQ(must(db().reports().open_report_by_url("http://phish.example/login")), r);
  EXPECT_FALSE(must(db().reports().open_report_by_url("http://phish.example/other")))
      << "exactly this URL";
  must(db().begin());
  close_report(r, at(2000));
  must(db().commit());
  EXPECT_FALSE(must(db().reports().open_report_by_url("http://phish.example/login")));
}

TEST_P(ReportStoreContract, AnOpenReportIsFoundByAddressTypeAndAge) {
  // Report and incident both created at 1000: `since` bounds either.
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kScan, at(1000)));
  new_incident(an_incident(r, "192.0.2.1", IncidentType::kScan, at(1000)));
  must(db().commit());
  ReportStore& reports = db().reports();
  EXPECT_EQ(must(reports.open_report_by_ip("192.0.2.1", IncidentType::kScan, at(1000))), r);
  EXPECT_FALSE(must(reports.open_report_by_ip("192.0.2.1", IncidentType::kPhishing, at(0))))
      << "another type";
  EXPECT_FALSE(must(reports.open_report_by_ip("192.0.2.1", IncidentType::kScan, at(1001))))
      << "older than `since`";
  EXPECT_FALSE(must(reports.open_report_by_ip("192.0.2.2", IncidentType::kScan, at(0))));
  must(db().begin());
  close_report(r, at(2000));
  must(db().commit());
  EXPECT_FALSE(must(reports.open_report_by_ip("192.0.2.1", IncidentType::kScan, at(0))))
      << "closed";
}

TEST_P(ReportStoreContract, TheLatestReportOnAnAddressMayBeClosed) {
  must(db().begin());
  const Id first = new_report(a_report(IncidentType::kScan, at(1000)));
  new_incident(an_incident(first, "192.0.2.1", IncidentType::kScan));
  const Id second = new_report(a_report(IncidentType::kScan, at(2000)));
  new_incident(an_incident(second, "192.0.2.1", IncidentType::kScan, at(2000)));
  const Id elsewhere = new_report(a_report(IncidentType::kScan, at(3000)));
  new_incident(an_incident(elsewhere, "192.0.2.2", IncidentType::kScan, at(3000)));
  close_report(second, at(2500));
  must(db().commit());
  EXPECT_EQ(must(db().reports().latest_report_on_ip("192.0.2.1")), second);
  EXPECT_FALSE(must(db().reports().latest_report_on_ip("198.51.100.1")));
}

TEST_P(ReportStoreContract, AMessageFiledTwiceKeepsItsFirstRole) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id m = stored(a_message("sha-a"));
  must(db().reports().attach_message(r, m, "first"));
  must(db().reports().attach_message(r, m, "followup"));
  must(db().commit());
  const ReportDetail d = must(db().queries().report_detail(r));
  ASSERT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.messages[0].id, m);
  EXPECT_EQ(d.messages[0].role, "first");
}

TEST_P(ReportStoreContract, ATagIsKeptOnce) {
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kIntrusion));
  must(db().reports().add_tags(r, {"method:brute-force", "after:tampering"}));
  must(db().reports().add_tags(r, {"method:brute-force"}));
  must(db().commit());
  EXPECT_EQ(sorted(must(db().queries().report_detail(r)).tags),
            (std::vector<std::string>{"after:tampering", "method:brute-force"}));
}

TEST_P(ReportStoreContract, ABrandIsTheReportsAlone) {
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kPhishing));
  const Id bare = new_incident(an_incident(r, "192.0.2.1"));
  must(db().reports().set_brand(r, "Kizuna Bank", "domestic"));
  must(db().commit());
  const ReportRecord report = must(db().reports().get_report(r));
  EXPECT_EQ(report.brand, "Kizuna Bank");
  EXPECT_EQ(report.brand_origin, "domestic");
  EXPECT_EQ(must(db().incidents().get_incident(bare)).brand, "")
      << "which incidents take it is triage's rule (takes_report_brand)";
}

TEST_P(ReportStoreContract, AReclassifiedReportReclassifiesItsIncidents) {
  Classification c;
  c.type = IncidentType::kOther;
  c.subtype = "malware-site";
  c.rsit_taxonomy = "malicious-code";
  c.rsit_type = "malware-distribution";
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kPhishing));
  const Id a = new_incident(an_incident(r, "192.0.2.1"));
  const Id b = new_incident(an_incident(r, "192.0.2.2"));
  must(db().reports().set_report_classification(r, c));
  must(db().commit());
  EXPECT_EQ(cls_text(must(db().reports().get_report(r)).cls), cls_text(c));
  for (Id i : {a, b}) {
    EXPECT_EQ(cls_text(must(db().incidents().get_incident(i)).cls), cls_text(c)) << i;
  }
}

TEST_P(ReportStoreContract, ClosingRecordsWhenAndReopeningClearsIt) {
  must(db().begin());
  const Id r = new_report(a_report());
  must(db().reports().set_report_status(r, ReportStatus::kClosed, at(5000)));
  must(db().commit());
  const ReportRecord closed = must(db().reports().get_report(r));
  EXPECT_EQ(to_string(closed.status), "closed");
  EXPECT_EQ(closed.closed_at, at(5000));
  must(db().begin());
  must(db().reports().set_report_status(r, ReportStatus::kOpen, at(6000)));
  must(db().commit());
  const ReportRecord reopened = must(db().reports().get_report(r));
  EXPECT_EQ(to_string(reopened.status), "open");
  EXPECT_FALSE(reopened.closed_at);
}

// --- IncidentStore --------------------------------------------------------------------------

TEST_P(IncidentStoreContract, TheSameKeyIsTheSameIncident) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id other_report = new_report(a_report());
  const Id a = new_incident(an_incident(r, "192.0.2.1"));
  EXPECT_EQ(new_incident(an_incident(r, "192.0.2.1")), a) << "same report, same address";
  EXPECT_NE(new_incident(an_incident(r, "192.0.2.2")), a);
  EXPECT_NE(new_incident(an_incident(other_report, "192.0.2.1")), a);
  const Id h = new_incident(a_host_incident(r, "phish.example"));
  EXPECT_EQ(new_incident(a_host_incident(r, "phish.example")), h) << "same report, same host";
  EXPECT_NE(new_incident(a_host_incident(r, "other.example")), h);
  must(db().commit());
  IncidentFilter of_report;
  of_report.report = r;
  EXPECT_EQ(must(db().queries().count_incidents(of_report)), 4) << "two addresses, two hosts";
}

TEST_P(IncidentStoreContract, AnIncidentReadsBackAsWritten) {
  must(db().begin());
  const Id r = new_report(a_report());
  IncidentRecord i = an_incident(r, "2001:db8::7", IncidentType::kPhishing, at(1000));
  i.host = "phish.example";
  i.cls.rsit_taxonomy = "fraud";
  i.cls.rsit_type = "phishing";
  i.brand = "Kizuna Bank";
  i.brand_origin = "domestic";
  i.first_seen = at(900);
  const Id id = new_incident(i);
  must(db().commit());
  const IncidentRecord got = must(db().incidents().get_incident(id));
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(got.report, r);
  EXPECT_EQ(got.ip, "2001:db8::7");
  EXPECT_EQ(got.host, "phish.example");
  EXPECT_EQ(cls_text(got.cls), cls_text(i.cls));
  EXPECT_EQ(got.brand, "Kizuna Bank");
  EXPECT_EQ(got.brand_origin, "domestic");
  EXPECT_EQ(got.first_seen, at(900));
  EXPECT_EQ(got.created_at, at(1000));
  EXPECT_EQ(outcome(db().incidents().get_incident(id + 1000)), "kNotFound");
}

TEST_P(IncidentStoreContract, TheAddressIncidentWithASiteOnAHostIsFound) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id by_address = new_incident(an_incident(r, "192.0.2.1"));
  new_site(by_address, "http://phish.example/login");
  new_site(new_incident(a_host_incident(r, "pending.example")), "http://pending.example/");
  const Id other_report = new_report(a_report());
  const Id elsewhere = new_incident(an_incident(other_report, "192.0.2.9"));
  new_site(elsewhere, "http://phish.example/other");
  must(db().commit());
  IncidentStore& incidents = db().incidents();
  EXPECT_EQ(must(incidents.incident_for_host(r, "phish.example")), by_address);
  EXPECT_EQ(must(incidents.incident_for_host(other_report, "phish.example")), elsewhere);
  EXPECT_FALSE(must(incidents.incident_for_host(r, "pending.example")))
      << "keyed by host, not by address";
  EXPECT_FALSE(must(incidents.incident_for_host(r, "unknown.example")));
}

TEST_P(IncidentStoreContract, APortSeenAgainAddsItsHits) {
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kScan));
  const Id i = new_incident(an_incident(r, "192.0.2.1", IncidentType::kScan));
  must(db().incidents().add_ports(i, {{"tcp", 22, 5}, {"tcp", 23, 1}}));
  must(db().incidents().add_ports(i, {{"tcp", 22, 2}, {"udp", 22, 1}}));
  must(db().commit());
  IncidentFilter of_report;
  of_report.report = r;
  const std::vector<IncidentSummary> listed = must(db().queries().list_incidents(of_report));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(port_hits(listed[0].ports),
            (std::map<std::string, int>{{"tcp/22", 7}, {"tcp/23", 1}, {"udp/22", 1}}));
}

TEST_P(IncidentStoreContract, AnIncidentTakesABrandAndAReportListsItsIncidents) {
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kPhishing));
  const Id a = new_incident(an_incident(r, "192.0.2.1"));
  const Id b = new_incident(an_incident(r, "192.0.2.2"));
  const Id other =
      new_incident(an_incident(new_report(a_report(IncidentType::kPhishing)), "192.0.2.1"));
  must(db().incidents().set_incident_brand(b, "Kizuna Bank", "domestic"));
  must(db().commit());
  const std::vector<IncidentRecord> list = must(db().incidents().incidents_of_report(r));
  ASSERT_EQ(list.size(), 2u) << "not the other report's incident " << other;
  EXPECT_EQ(list[0].id, a);
  EXPECT_EQ(list[1].id, b);
  EXPECT_EQ(list[0].brand, "");
  EXPECT_EQ(list[1].brand, "Kizuna Bank");
  EXPECT_EQ(list[1].brand_origin, "domestic");
  EXPECT_TRUE(must(db().incidents().incidents_of_report(999)).empty());
}

TEST_P(IncidentStoreContract, ReclassifyingAnIncidentLeavesTheOthers) {
  Classification c;
  c.type = IncidentType::kOther;
  c.subtype = "dos";
  c.rsit_taxonomy = "availability";
  c.rsit_type = "ddos";
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kScan));
  const Id a = new_incident(an_incident(r, "192.0.2.1", IncidentType::kScan));
  const Id b = new_incident(an_incident(r, "192.0.2.2", IncidentType::kScan));
  must(db().incidents().set_incident_classification(a, c));
  must(db().commit());
  EXPECT_EQ(cls_text(must(db().incidents().get_incident(a)).cls), cls_text(c));
  EXPECT_EQ(must(db().incidents().get_incident(b)).cls.type, IncidentType::kScan);
  EXPECT_EQ(must(db().reports().get_report(r)).cls.type, IncidentType::kScan);
}

TEST_P(IncidentStoreContract, AnEarlierClosedIncidentIsOnTheSameAddressInAnotherReport) {
  must(db().begin());
  const Id old_report = new_report(a_report(IncidentType::kPhishing, at(1000)));
  const Id old = new_incident(an_incident(old_report, "192.0.2.1"));
  const Id old_host = new_incident(a_host_incident(old_report, "phish.example"));
  const Id new_one = new_report(a_report(IncidentType::kPhishing, at(2000)));
  new_incident(an_incident(new_one, "192.0.2.1", IncidentType::kPhishing, at(2000)));
  must(db().commit());
  IncidentStore& incidents = db().incidents();
  EXPECT_FALSE(must(incidents.earlier_closed_incident("192.0.2.1", new_one)))
      << "the earlier report is still open";
  must(db().begin());
  close_report(old_report, at(1500));
  must(db().commit());
  EXPECT_EQ(must(incidents.earlier_closed_incident("192.0.2.1", new_one)), old);
  EXPECT_EQ(must(incidents.earlier_closed_incident("phish.example", new_one)), old_host)
      << "by host";
  EXPECT_FALSE(must(incidents.earlier_closed_incident("192.0.2.1", old_report))) << "not its own";
  EXPECT_FALSE(must(incidents.earlier_closed_incident("192.0.2.9", new_one)));
}

TEST_P(IncidentStoreContract, OnlyIncidentsNeverEnrichedAwaitEnrichment) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id waiting = new_incident(an_incident(r, "192.0.2.1"));
  new_site(waiting, "http://a.example/login");
  new_site(waiting, "http://a.example/account");
  new_site(waiting, "http://b.example/");
  IncidentRecord done = an_incident(r, "192.0.2.2");
  done.enrichment.version = 3;  // enriched when it was stored
  const Id enriched = new_incident(done);
  must(db().commit());
  const std::vector<IncidentToEnrich> todo = must(db().incidents().incidents_to_enrich(false));
  ASSERT_EQ(ids(todo), (std::vector<Id>{waiting}));
  EXPECT_EQ(todo[0].ip, "192.0.2.1");
  // Not in the header: each host once (SQLite lists them so; the resolver asks once a host).
  EXPECT_EQ(sorted(todo[0].site_hosts), (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(set_of(ids(must(db().incidents().incidents_to_enrich(true)))),
            (std::set<Id>{waiting, enriched}));
  IncidentEnrichment e;
  e.country = "JP";
  e.version = 4;
  must(db().begin());
  must(db().incidents().set_enrichment(waiting, e));
  must(db().commit());
  EXPECT_TRUE(must(db().incidents().incidents_to_enrich(false)).empty());
}

TEST_P(IncidentStoreContract, WhatEnrichmentFoundIsCountedAndRouted) {
  IncidentEnrichment e;
  e.asn = 64500;
  e.as_name = "EXAMPLE-AS";
  e.country = "JP";
  e.org = "Example ISP";
  e.org_kind = "isp";
  e.route = kRoute;
  e.version = 1;
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kPhishing, at(1000)));
  const Id i = new_incident(an_incident(r, "192.0.2.1"));
  const Id site = new_site(i, "http://phish.example/login");
  must(db().incidents().set_enrichment(i, e));
  must(db().commit());
  report::Figures f = report::figures(must(db().queries().figure_rows(at(0), at(2000))), 100);
  EXPECT_EQ(f.by_country, (std::vector<std::pair<std::string, int64_t>>{{"JP", 1}}));
  ASSERT_EQ(f.by_asn.size(), 1u);
  EXPECT_EQ(f.by_asn[0].asn, 64500);
  EXPECT_EQ(f.by_asn[0].as_name, "EXAMPLE-AS");
  EXPECT_EQ(f.by_org_kind["isp"], 1);
  const std::vector<NoticeCandidate> candidates =
      must(db().sites().notice_candidates({SiteState::kNew}));
  ASSERT_EQ(ids(candidates), (std::vector<Id>{site})) << "routed now";
  EXPECT_EQ(candidates[0].route, kRoute);
  EXPECT_EQ(candidates[0].country, "JP");
}

TEST_P(IncidentStoreContract, AHostIncidentCanTakeAnAddressShareItsSitesAndGo) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id host = new_incident(a_host_incident(r, "phish.example"));
  new_site(host, "http://phish.example/login");
  const Id known = new_incident(an_incident(r, "192.0.2.9"));
  new_site(known, "http://known.example/");
  must(db().incidents().copy_sites(host, known));
  must(db().incidents().copy_sites(host, known));  // a URL the incident has is kept once
  must(db().incidents().set_incident_address(host, "192.0.2.1"));
  must(db().commit());
  EXPECT_EQ(must(db().incidents().get_incident(host)).ip, "192.0.2.1");
  auto urls = urls_by_incident(must(db().sites().sites_of_report(r)));
  EXPECT_EQ(urls[known],
            (std::vector<std::string>{"http://known.example/", "http://phish.example/login"}));
  must(db().begin());
  must(db().incidents().remove_incident(host));
  must(db().commit());
  EXPECT_EQ(outcome(db().incidents().get_incident(host)), "kNotFound");
  urls = urls_by_incident(must(db().sites().sites_of_report(r)));
  EXPECT_FALSE(urls.contains(host)) << "its sites went with it";
  EXPECT_EQ(urls[known].size(), 2u) << "the copies stay";
}

TEST_P(IncidentStoreContract, AnUnknownIncidentIsNotFound) {
  EXPECT_EQ(outcome(db().incidents().get_incident(4242)), "kNotFound");
}

// --- SiteStore ------------------------------------------------------------------------------

TEST_P(SiteStoreContract, AUrlIsASiteOncePerIncident) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id i = new_incident(an_incident(r, "192.0.2.1"));
  const Id j = new_incident(an_incident(r, "192.0.2.2"));
  SiteStore& sites = db().sites();
  EXPECT_TRUE(must(sites.add_site(i, "http://phish.example/", "phish.example", at(1000))));
  EXPECT_FALSE(must(sites.add_site(i, "http://phish.example/", "phish.example", at(2000))))
      << "already under the incident";
  EXPECT_TRUE(must(sites.add_site(j, "http://phish.example/", "phish.example", at(1000))))
      << "under another incident";
  must(db().commit());
  const std::vector<SiteRecord> listed = must(sites.sites_of_report(r));
  ASSERT_EQ(listed.size(), 2u);
  for (const SiteRecord& s : listed) {
    EXPECT_EQ(s.created_at, at(1000)) << "left as it was";
  }
}

TEST_P(SiteStoreContract, ASiteReadsBackAsAdded) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id i = new_incident(an_incident(r, "192.0.2.1"));
  const Id s = new_site(i, "http://phish.example/login", at(1234));
  must(db().commit());
  const SiteRecord got = must(db().sites().get_site(s));
  EXPECT_EQ(got.id, s);
  EXPECT_EQ(got.incident, i);
  EXPECT_EQ(got.report, r);
  EXPECT_EQ(got.url, "http://phish.example/login");
  EXPECT_EQ(got.host, "phish.example");
  EXPECT_EQ(to_string(got.state), "new");
  EXPECT_FALSE(got.state_at);
  EXPECT_EQ(got.created_at, at(1234));
  EXPECT_FALSE(got.next_check_at) << "not scheduled";
  EXPECT_EQ(outcome(db().sites().get_site(s + 1000)), "kNotFound");
}

TEST_P(SiteStoreContract, AReportListsItsOwnSites) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id i = new_incident(an_incident(r, "192.0.2.1"));
  const Id a = new_site(i, "http://a.example/");
  const Id b = new_site(new_incident(an_incident(r, "192.0.2.2")), "http://b.example/");
  const Id other = new_report(a_report());
  const Id c = new_site(new_incident(an_incident(other, "192.0.2.1")), "http://a.example/");
  must(db().commit());
  EXPECT_EQ(set_of(ids(must(db().sites().sites_of_report(r)))), (std::set<Id>{a, b}));
  EXPECT_EQ(ids(must(db().sites().sites_of_report(other))), (std::vector<Id>{c}));
}

TEST_P(SiteStoreContract, AStateChangeRecordsItsTime) {
  must(db().begin());
  const Id s = new_sites(1)[0];
  must(db().sites().set_site_state(s, SiteState::kNotified, at(2000)));
  must(db().commit());
  const SiteRecord got = must(db().sites().get_site(s));
  EXPECT_EQ(to_string(got.state), "notified");
  EXPECT_EQ(got.state_at, at(2000));
}

TEST_P(SiteStoreContract, AnIncidentWithoutUrlGetsItsAddressAsSite) {
  must(db().begin());
  const Id r = new_report(a_report(IncidentType::kScan));
  const Id i = new_incident(an_incident(r, "192.0.2.1", IncidentType::kScan));
  const Id h = new_incident(a_host_incident(r, "scanner.example"));
  const Id s = must(db().sites().ensure_address_site(i));
  EXPECT_EQ(must(db().sites().ensure_address_site(i)), s) << "once";
  const Id t = must(db().sites().ensure_address_site(h));
  must(db().commit());
  const SiteRecord by_address = must(db().sites().get_site(s));
  EXPECT_EQ(by_address.incident, i);
  EXPECT_EQ(by_address.url, "192.0.2.1");
  // Not in the header: an incident still keyed by host gets its host, the address it has so far.
  EXPECT_EQ(must(db().sites().get_site(t)).url, "scanner.example");
  EXPECT_EQ(must(db().sites().sites_of_report(r)).size(), 2u);
}

TEST_P(SiteStoreContract, EveryIncidentWithoutSiteGetsOne) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id with_url = new_incident(an_incident(r, "192.0.2.1"));
  new_site(with_url, "http://phish.example/");
  const Id without = new_incident(an_incident(r, "192.0.2.2"));
  must(db().sites().ensure_address_sites());
  must(db().commit());
  auto urls = urls_by_incident(must(db().sites().sites_of_report(r)));
  EXPECT_EQ(urls[with_url], (std::vector<std::string>{"http://phish.example/"})) << "kept alone";
  EXPECT_EQ(urls[without], (std::vector<std::string>{"192.0.2.2"}));
}

TEST_P(SiteStoreContract, NoticeCandidatesAreRoutedSitesInTheStatesAsked) {
  must(db().begin());
  ReportRecord amber = a_report();
  amber.tlp = "amber";
  const Id r = new_report(amber);
  const Id routed = new_incident(a_routed_incident(r, "192.0.2.1"));
  const Id fresh = new_site(routed, "http://phish.example/login", at(1100));
  const Id closed = new_site(routed, "http://phish.example/old");
  must(db().sites().set_site_state(closed, SiteState::kClosed, at(2000)));
  new_site(new_incident(an_incident(r, "192.0.2.2")), "http://unrouted.example/");
  ReportRecord csam = a_report();
  csam.csam = true;
  const Id c = new_report(csam);
  const Id csam_site =
      new_site(new_incident(a_routed_incident(c, "192.0.2.3")), "http://c.example/");
  must(db().commit());
  const std::vector<NoticeCandidate> got =
      must(db().sites().notice_candidates({SiteState::kNew, SiteState::kRevived}));
  ASSERT_EQ(set_of(ids(got)), (std::set<Id>{fresh, csam_site}));
  for (const NoticeCandidate& n : got) {
    if (n.site == fresh) {
      EXPECT_EQ(n.url, "http://phish.example/login");
      EXPECT_EQ(to_string(n.state), "new");
      EXPECT_EQ(n.incident, routed);
      EXPECT_EQ(n.report, r);
      EXPECT_EQ(n.ip, "192.0.2.1");
      EXPECT_EQ(n.cls.type, IncidentType::kPhishing);
      EXPECT_EQ(n.country, "JP");
      EXPECT_EQ(n.route, kRoute);
      EXPECT_EQ(n.tlp, "amber");
      EXPECT_EQ(n.reported_at, at(1000));
      EXPECT_EQ(n.created_at, at(1100));
      EXPECT_FALSE(n.csam);
    } else {
      EXPECT_TRUE(n.csam) << "listed, for the planner to skip";
    }
  }
}

TEST_P(SiteStoreContract, TheBookkeepingRoundTripsAndLeavesTheState) {
  must(db().begin());
  const Id s = new_sites(1)[0];
  must(db().sites().set_site_state(s, SiteState::kNotified, at(1500)));
  update_site(s, [](SiteRecord& r) {
    r.reference_fingerprint = "fp-1";
    r.down_streak = 2;
    r.next_check_at = at(3000);
    r.watch_step = 1;
    r.down_verified_at = at(2500);
    r.first_notified_at = at(1500);
    r.last_notified_at = at(2000);
    r.replied_at = at(2100);
    r.revivals = 1;
    r.org = "Example ISP";
    r.state = SiteState::kClosed;  // not written here: set_site_state
  });
  must(db().commit());
  const SiteRecord got = must(db().sites().get_site(s));
  EXPECT_EQ(got.reference_fingerprint, "fp-1");
  EXPECT_EQ(got.down_streak, 2);
  EXPECT_EQ(got.next_check_at, at(3000));
  EXPECT_EQ(got.watch_step, 1);
  EXPECT_EQ(got.down_verified_at, at(2500));
  EXPECT_EQ(got.first_notified_at, at(1500));
  EXPECT_EQ(got.last_notified_at, at(2000));
  EXPECT_EQ(got.replied_at, at(2100));
  EXPECT_EQ(got.revivals, 1);
  EXPECT_EQ(got.org, "Example ISP");
  EXPECT_EQ(to_string(got.state), "notified");
}

TEST_P(SiteStoreContract, SitesDueForCheckAreThoseScheduledByNow) {
  must(db().begin());
  const std::vector<Id> s = new_sites(4);
  update_site(s[0], [](SiteRecord& r) { r.next_check_at = at(900); });
  update_site(s[1], [](SiteRecord& r) { r.next_check_at = at(1000); });
  update_site(s[2], [](SiteRecord& r) { r.next_check_at = at(1100); });
  must(db().commit());
  EXPECT_EQ(set_of(ids(must(db().sites().sites_due_for_check(at(1000))))),
            (std::set<Id>{s[0], s[1]}));
}

TEST_P(SiteStoreContract, SitesInStatesAreThoseInTheStatesAsked) {
  must(db().begin());
  const std::vector<Id> s = new_sites(3);
  must(db().sites().set_site_state(s[1], SiteState::kNotified, at(2000)));
  must(db().sites().set_site_state(s[2], SiteState::kClosed, at(2000)));
  must(db().commit());
  EXPECT_EQ(
      set_of(ids(must(db().sites().sites_in_states({SiteState::kNotified, SiteState::kClosed})))),
      (std::set<Id>{s[1], s[2]}));
  EXPECT_EQ(ids(must(db().sites().sites_in_states({SiteState::kNew}))), (std::vector<Id>{s[0]}));
  EXPECT_TRUE(must(db().sites().sites_in_states({SiteState::kRevived})).empty());
}

TEST_P(SiteStoreContract, SitesFirstNotifiedInAPeriod) {
  must(db().begin());
  const std::vector<Id> s = new_sites(4);
  update_site(s[0], [](SiteRecord& r) { r.first_notified_at = at(1000); });
  update_site(s[1], [](SiteRecord& r) { r.first_notified_at = at(1999); });
  update_site(s[2], [](SiteRecord& r) { r.first_notified_at = at(2000); });
  must(db().commit());
  EXPECT_EQ(set_of(ids(must(db().sites().sites_first_notified(at(1000), at(2000))))),
            (std::set<Id>{s[0], s[1]}))
      << "[from, to)";
}

TEST_P(SiteStoreContract, ChecksOfASiteComeBackOldestFirst) {
  must(db().begin());
  const std::vector<Id> s = new_sites(2);
  SiteCheck first;
  first.site = s[0];
  first.checked_at = at(1000);
  first.verdict = CheckOutcome::kLive;
  first.reason = "same content";
  first.http_status = 200;
  first.final_url = "http://site1.example/login";
  first.fingerprint = "fp-1";
  first.title = "Log in";
  first.user_agent = "Kizuna/1";
  first.evidence = std::string("<html>") + '\0' + "evidence</html>";
  SiteCheck other = first;
  other.site = s[1];
  SiteCheck second;
  second.site = s[0];
  second.checked_at = at(2000);
  second.verdict = CheckOutcome::kDown;
  second.reason = "no such host";
  second.error = "NXDOMAIN";
  must(db().sites().add_site_check(first));
  must(db().sites().add_site_check(other));
  must(db().sites().add_site_check(second));
  must(db().commit());
  const std::vector<SiteCheck> got = must(db().sites().site_checks(s[0]));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].site, s[0]);
  EXPECT_EQ(got[0].checked_at, at(1000));
  EXPECT_EQ(to_string(got[0].verdict), "live");
  EXPECT_EQ(got[0].reason, "same content");
  EXPECT_EQ(got[0].http_status, 200);
  EXPECT_EQ(got[0].final_url, "http://site1.example/login");
  EXPECT_EQ(got[0].fingerprint, "fp-1");
  EXPECT_EQ(got[0].title, "Log in");
  EXPECT_EQ(got[0].user_agent, "Kizuna/1");
  EXPECT_EQ(got[0].evidence, first.evidence) << "the page's bytes, NUL included";
  EXPECT_EQ(got[1].checked_at, at(2000));
  EXPECT_EQ(to_string(got[1].verdict), "down");
  EXPECT_EQ(got[1].error, "NXDOMAIN");
}

// --- OutboxStore ----------------------------------------------------------------------------

TEST_P(OutboxStoreContract, ANoticeReadsBackAsPlanned) {
  must(db().begin());
  const std::vector<Id> sites = new_sites(2);
  const Id r = must(db().sites().get_site(sites[0])).report;
  NoticeRecord n = a_notice(sites, "planned", at(1000));
  n.kind = NoticeKind::kRenotice;
  n.report = r;
  n.cc = {"csirt@isp.example"};
  n.language = "ja";
  const Id id = must(db().outbox().add_notice(n));
  must(db().commit());
  const NoticeRecord got = must(db().outbox().get_notice(id));
  EXPECT_EQ(got.id, id);
  EXPECT_EQ(to_string(got.kind), "renotice");
  EXPECT_EQ(to_string(got.audience), "responder");
  EXPECT_EQ(got.report, r);
  EXPECT_EQ(got.org, "Example ISP");
  EXPECT_EQ(got.org_kind, "isp");
  EXPECT_EQ(got.to, (std::vector<std::string>{"abuse@isp.example"}));
  EXPECT_EQ(got.cc, (std::vector<std::string>{"csirt@isp.example"}));
  EXPECT_EQ(got.language, "ja");
  EXPECT_EQ(got.tag, "[Kizuna#N1]");
  EXPECT_EQ(got.subject, "Phishing site on your network");
  EXPECT_EQ(got.body, "Please take it down.");
  EXPECT_EQ(got.reason, "RDAP abuse contact");
  EXPECT_EQ(to_string(got.status), "planned");
  EXPECT_EQ(got.planned_at, at(1000));
  EXPECT_EQ(sorted(got.sites), sorted(sites));
  EXPECT_FALSE(got.approved_at);
  EXPECT_FALSE(got.sent_at);
  EXPECT_EQ(got.attempts, 0);
  EXPECT_EQ(outcome(db().outbox().get_notice(id + 1000)), "kNotFound");
}

TEST_P(OutboxStoreContract, AnUpdateRewritesTheSendingState) {
  must(db().begin());
  const Id id = must(db().outbox().add_notice(a_notice(new_sites(1))));
  NoticeRecord n = must(db().outbox().get_notice(id));
  n.status = NoticeStatus::kSent;
  n.approved_at = at(1100);
  n.approved_by = "handler:aki";
  n.message_id = "n1.abc@kizuna.example";
  n.mime = "MIME-Version: 1.0\r\nContent-Type: multipart/signed\r\n\r\nsigned body\r\n";
  n.is_signed = true;
  n.encrypted = true;
  n.attempts = 2;
  n.next_attempt_at = at(1200);
  n.last_error = "421 try again later";
  n.sent_at = at(1300);
  n.tag = "[Kizuna#N9]";
  n.subject = "Updated subject";
  n.body = "Updated body";
  must(db().outbox().update_notice(n));
  must(db().commit());
  const NoticeRecord got = must(db().outbox().get_notice(id));
  EXPECT_EQ(to_string(got.status), "sent");
  EXPECT_EQ(got.approved_at, at(1100));
  EXPECT_EQ(got.approved_by, "handler:aki");
  EXPECT_EQ(got.message_id, "n1.abc@kizuna.example");
  EXPECT_EQ(got.mime, n.mime);
  EXPECT_TRUE(got.is_signed);
  EXPECT_TRUE(got.encrypted);
  EXPECT_EQ(got.attempts, 2);
  EXPECT_EQ(got.next_attempt_at, at(1200));
  EXPECT_EQ(got.last_error, "421 try again later");
  EXPECT_EQ(got.sent_at, at(1300));
  EXPECT_EQ(got.tag, "[Kizuna#N9]");
  EXPECT_EQ(got.subject, "Updated subject");
  EXPECT_EQ(got.body, "Updated body");
  EXPECT_EQ(got.sites.size(), 1u) << "its sites stay";
}

TEST_P(OutboxStoreContract, NoticesOfAStatusAreListedOldestFirst) {
  must(db().begin());
  const std::vector<Id> s = new_sites(1);
  const Id a = new_notice(a_notice(s, "planned", at(1000)));
  const Id b = new_notice(a_notice(s, "approved", at(2000)));
  const Id c = new_notice(a_notice(s, "planned", at(3000)));
  must(db().commit());
  EXPECT_EQ(ids(must(db().outbox().notices(NoticeStatus::kPlanned))), (std::vector<Id>{a, c}));
  EXPECT_EQ(ids(must(db().outbox().notices(std::nullopt))), (std::vector<Id>{a, b, c}))
      << "\"\": all";
  EXPECT_TRUE(must(db().outbox().notices(NoticeStatus::kSent)).empty());
}

TEST_P(OutboxStoreContract, NoticesDueAreApprovedAndDue) {
  must(db().begin());
  const std::vector<Id> s = new_sites(1);
  NoticeRecord retry_due = a_notice(s, "approved");
  retry_due.next_attempt_at = at(900);
  NoticeRecord retry_later = a_notice(s, "approved");
  retry_later.next_attempt_at = at(1100);
  NoticeRecord not_approved = a_notice(s, "planned");
  not_approved.next_attempt_at = at(900);
  const Id due = new_notice(retry_due);
  new_notice(retry_later);
  new_notice(not_approved);
  const Id fresh = new_notice(a_notice(s, "approved"));
  must(db().commit());
  // Not in the header: an approved notice without a next attempt is due at once (the first
  // sending; next_attempt_at is set only by a failed attempt).
  EXPECT_EQ(set_of(ids(must(db().outbox().notices_due(at(1000))))), (std::set<Id>{due, fresh}));
}

TEST_P(OutboxStoreContract, NoticesSentInAPeriod) {
  must(db().begin());
  const std::vector<Id> s = new_sites(1);
  std::vector<Id> sent;
  for (int t : {999, 1000, 1999, 2000}) {
    NoticeRecord n = a_notice(s, "sent");
    n.sent_at = at(t);
    sent.push_back(new_notice(n));
  }
  new_notice(a_notice(s, "approved"));
  must(db().commit());
  EXPECT_EQ(set_of(ids(must(db().outbox().notices_sent(at(1000), at(2000))))),
            (std::set<Id>{sent[1], sent[2]}))
      << "[from, to)";
}

TEST_P(OutboxStoreContract, OnlyASentNoticeIsFoundByItsMessageId) {
  must(db().begin());
  const std::vector<Id> s = new_sites(1);
  NoticeRecord sent = a_notice(s, "sent");
  sent.message_id = "n1@kizuna.example";
  sent.sent_at = at(1100);
  NoticeRecord approved = a_notice(s, "approved");
  approved.message_id = "n2@kizuna.example";
  const Id id = new_notice(sent);
  new_notice(approved);
  must(db().commit());
  OutboxStore& outbox = db().outbox();
  EXPECT_EQ(must(outbox.notice_by_message_id({"reply@x.example", "n1@kizuna.example"})), id);
  EXPECT_FALSE(must(outbox.notice_by_message_id({"n2@kizuna.example"}))) << "not sent yet";
  EXPECT_FALSE(must(outbox.notice_by_message_id({"unknown@x.example"})));
  EXPECT_FALSE(must(outbox.notice_by_message_id({})));
}

TEST_P(OutboxStoreContract, SitesOfNoticesInStatusesAreListedOnceInOrder) {
  const std::vector<std::string> statuses = {"planned", "approved", "bounced",
                                             "failed",  "sent",     "cancelled"};
  must(db().begin());
  const std::vector<Id> s = new_sites(6);
  for (size_t k = 0; k < statuses.size(); ++k) new_notice(a_notice({s[k]}, statuses[k]));
  new_notice(a_notice({s[1], s[0]}, "planned"));  // named a second time
  must(db().commit());
  // What the planner asks: the sites not to plan again until a handler cancels their notice.
  EXPECT_EQ(
      must(db().outbox().sites_of_notices_in({NoticeStatus::kPlanned, NoticeStatus::kApproved,
                                              NoticeStatus::kBounced, NoticeStatus::kFailed})),
      (std::vector<Id>{s[0], s[1], s[2], s[3]}));
  EXPECT_EQ(must(db().outbox().sites_of_notices_in({NoticeStatus::kSent})),
            (std::vector<Id>{s[4]}));
  EXPECT_TRUE(must(db().outbox().sites_of_notices_in({})).empty());
}

TEST_P(OutboxStoreContract, TheFirstReplyToANoticeIsKept) {
  must(db().begin());
  NoticeRecord n = a_notice(new_sites(1), "sent");
  n.sent_at = at(1000);
  const Id id = new_notice(n);
  must(db().outbox().set_notice_replied(id, at(2000)));
  must(db().outbox().set_notice_replied(id, at(3000)));
  must(db().commit());
  EXPECT_EQ(must(db().outbox().get_notice(id)).replied_at, at(2000));
}

TEST_P(OutboxStoreContract, BouncesAreCountedPerAddress) {
  must(db().begin());
  const Id n = new_notice(a_notice(new_sites(1), "sent"));
  must(db().outbox().add_bounce("abuse@isp.example", at(2000), n, "550 no such user"));
  must(db().outbox().add_bounce("Abuse@ISP.example", at(3000), n, "550 no such user"));
  must(db().outbox().add_bounce("other@isp.example", at(3000), n, "552 mailbox full"));
  must(db().commit());
  // Not in the header: the address is compared without case (SQLite lowers it), so that one
  // contact written two ways is one contact.
  EXPECT_EQ(must(db().outbox().bounce_count("abuse@isp.example")), 2);
  EXPECT_EQ(must(db().outbox().bounce_count("ABUSE@isp.example")), 2);
  EXPECT_EQ(must(db().outbox().bounce_count("nobody@isp.example")), 0);
}

// --- ReporterStore --------------------------------------------------------------------------

TEST_P(ReporterStoreContract, AReporterIsKeptOncePerAddress) {
  must(db().begin());
  const Id a = new_reporter("csirt@example.org");
  ReporterRecord again = a_reporter("csirt@example.org");
  again.name = "Another name";
  EXPECT_EQ(must(db().reporters().upsert_reporter(again)), a);
  EXPECT_NE(new_reporter("other@example.net"), a);
  ReportRecord r = a_report();
  r.reporter = a;
  const Id report = new_report(r);
  must(db().commit());
  EXPECT_EQ(must(db().queries().report_detail(report)).summary.reporter_address,
            "csirt@example.org");
}

TEST_P(ReporterStoreContract, TheContactIsTheReporterAndTheFirstMessage) {
  MessageRecord first = a_message("sha-first", at(1000));
  first.subject = "Phishing at phish.example";
  first.message_id = "first@example.org";
  first.dated_at = at(990);
  must(db().begin());
  const Id p = new_reporter("csirt@example.org");
  ReportRecord rr = a_report();
  rr.reporter = p;
  rr.tld = "org";
  rr.csam = true;
  const Id r = new_report(rr);
  const Id m = filed(r, first, "first");
  filed(r, a_message("sha-followup", at(2000)), "followup");
  must(db().commit());
  const ReporterContact c = must(db().reporters().reporter_contact(r));
  EXPECT_EQ(c.report, r);
  EXPECT_EQ(c.first_message, m);
  EXPECT_EQ(c.address, "csirt@example.org");
  EXPECT_EQ(c.name, "Example CSIRT");
  EXPECT_EQ(c.tld, "org");
  EXPECT_EQ(c.subject, "Phishing at phish.example");
  EXPECT_EQ(c.message_id, "first@example.org");
  EXPECT_EQ(c.channel, "email");
  EXPECT_EQ(c.received_at, at(1000));
  EXPECT_EQ(c.dated_at, at(990));
  EXPECT_EQ(c.automatic, "");
  EXPECT_TRUE(c.csam);
  EXPECT_FALSE(c.acknowledged_at);
  EXPECT_FALSE(c.reporter_told_at);
  EXPECT_FALSE(c.reporter_mail) << "not decided yet";
}

TEST_P(ReporterStoreContract, AReportWithoutMessageHasNoContact) {
  must(db().begin());
  ReportRecord rr = a_report();
  rr.reporter = new_reporter("csirt@example.org");
  const Id r = new_report(rr);
  must(db().commit());
  EXPECT_EQ(outcome(db().reporters().reporter_contact(r)), "kNotFound");
  EXPECT_EQ(outcome(db().reporters().reporter_contact(r + 1000)), "kNotFound");
}

TEST_P(ReporterStoreContract, ReportsToAcknowledgeAreUndecidedAndUnacknowledged) {
  must(db().begin());
  const Id p = new_reporter("csirt@example.org");
  const Id waiting = reported_by(p, a_message("sha-1"));
  const Id acknowledged = reported_by(p, a_message("sha-2"));
  must(db().reporters().set_report_acknowledged(acknowledged, at(1100)));
  const Id decided = reported_by(p, a_message("sha-3"));
  must(db().reporters().set_reporter_mail(decided, "automatic: Auto-Submitted"));
  reported_by(0, a_message("sha-4"));  // nobody to write to
  must(db().commit());
  EXPECT_EQ(ids(must(db().reporters().reports_to_acknowledge())), (std::vector<Id>{waiting}));
}

TEST_P(ReporterStoreContract, WhatTheReporterWasToldIsRecorded) {
  must(db().begin());
  const Id r = reported_by(new_reporter("csirt@example.org"), a_message("sha-1"));
  must(db().reporters().set_report_acknowledged(r, at(1100)));
  must(db().reporters().set_reporter_told(r, at(5000)));
  must(db().reporters().set_reporter_mail(r, ""));
  must(db().commit());
  const ReporterContact told = must(db().reporters().reporter_contact(r));
  EXPECT_EQ(told.acknowledged_at, at(1100));
  EXPECT_EQ(told.reporter_told_at, at(5000));
  EXPECT_EQ(told.reporter_mail, Text("")) << "decided: mailed";
  // A site revives: the reporter hears once more; later the rate limit keeps the mail back.
  must(db().begin());
  must(db().reporters().set_reporter_told(r, std::nullopt));
  must(db().reporters().set_reporter_mail(r, "rate limit: 20 mails a day"));
  must(db().commit());
  const ReporterContact again = must(db().reporters().reporter_contact(r));
  EXPECT_FALSE(again.reporter_told_at);
  EXPECT_EQ(again.reporter_mail, Text("rate limit: 20 mails a day"));
}

TEST_P(ReporterStoreContract, MailsToReportersAreCountedFromTheirPlanningTime) {
  const auto to_reporter = [](const std::string& address, Time planned) {
    NoticeRecord n = a_notice({}, "sent", planned);
    n.kind = NoticeKind::kAck;
    n.audience = Audience::kReporter;
    n.to = {address};
    return n;
  };
  must(db().begin());
  new_notice(to_reporter("Reporter@Example.ORG", at(1000)));
  new_notice(to_reporter("reporter@example.org", at(2000)));
  new_notice(to_reporter("earlier@example.org", at(999)));
  new_notice(a_notice({}, "sent", at(1500)));  // to a responder
  must(db().commit());
  EXPECT_EQ(sorted(must(db().reporters().reporter_mail_recipients(at(1000)))),
            (std::vector<std::string>{"reporter@example.org", "reporter@example.org"}))
      << "one entry a mail, lower-case";
}

// --- EventLog -------------------------------------------------------------------------------

TEST_P(EventLogContract, EventsShowInTheHistoryOfTheirReport) {
  must(db().begin());
  const Id r = new_report(a_report());
  const Id i = new_incident(an_incident(r, "192.0.2.1"));
  const Id other = new_report(a_report());
  EventLog& log = db().events();
  must(log.append_event({at(1000), "system:intake", "report.created", "report:" + std::to_string(r),
                         R"({"messages":1})"}));
  must(log.append_event(
      {at(1100), "handler:aki", "incident.reclassified", "incident:" + std::to_string(i), "{}"}));
  must(log.append_event(
      {at(1200), "system:intake", "report.created", "report:" + std::to_string(other), "{}"}));
  must(db().commit());
  const std::vector<Event> events = must(db().queries().report_detail(r)).events;
  ASSERT_EQ(events.size(), 2u) << "its own and its incident's, not another report's";
  for (const Event& e : events) {
    if (e.action == "report.created") {
      EXPECT_EQ(e.at, at(1000));
      EXPECT_EQ(e.actor, "system:intake");
      EXPECT_EQ(e.subject, "report:" + std::to_string(r));
      EXPECT_EQ(e.detail, R"({"messages":1})");
    } else {
      EXPECT_EQ(e.action, "incident.reclassified");
      EXPECT_EQ(e.actor, "handler:aki");
    }
  }
}

TEST_P(EventLogContract, TheFeedNamesEachEventsReportAndLeavesOutWhatIsHidden) {
  must(db().begin());
  ReportRecord red = a_report();
  red.tlp = "TLP:RED";
  const Id hidden = new_report(red);
  const Id open = new_report(a_report());
  const Id incident = new_incident(an_incident(open, "192.0.2.1"));
  const Id site = new_site(incident, "http://x.example/");
  const Id message = filed(open, a_message("sha-feed"));
  NoticeRecord planned = a_notice({site});
  planned.report = open;
  const Id notice = must(db().outbox().add_notice(planned));
  EventLog& log = db().events();
  for (const std::string& subject :
       {"report:" + std::to_string(hidden), "report:" + std::to_string(open),
        "incident:" + std::to_string(incident), "site:" + std::to_string(site),
        "notice:" + std::to_string(notice), "message:" + std::to_string(message),
        std::string("user:hana")}) {
    must(log.append_event({at(1000), "system:test", "test.event", subject, "{}"}));
  }
  must(db().commit());
  EventFeed all;
  const auto every = must(log.events_after(all));
  ASSERT_EQ(every.size(), 7u);
  std::vector<std::optional<Id>> reports;
  for (const auto& e : every) reports.push_back(e.report);
  EXPECT_EQ(reports,
            (std::vector<std::optional<Id>>{hidden, open, open, open, open, open, std::nullopt}))
      << "each subject leads to its report; a user is no report's";
  EXPECT_LT(every[0].id, every[1].id);
  EventFeed page;
  page.after = every[1].id;
  page.limit = 2;
  const auto next = must(log.events_after(page));
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].id, every[2].id);
  EventFeed seen;
  seen.hide_red = true;
  seen.viewer = 999;
  seen.reports_only = true;
  const auto visible = must(log.events_after(seen));
  for (const auto& e : visible) {
    EXPECT_TRUE(e.report) << e.event.subject;
    EXPECT_NE(e.report, hidden) << "the RED report's event is left out";
  }
  EXPECT_EQ(visible.size(), 5u) << "the open report's five, not the RED one's nor the user's";
}

// --- NetworkDataStore -----------------------------------------------------------------------
// Each replace_* is called outside any transaction, as `kizuna data load` does: it is one of its
// own (sql/repositories.h).

TEST_P(NetworkDataStoreContract, AReloadReplacesTheOrigins) {
  NetworkDataStore& data = db().network_data();
  must(data.replace_origins(data_set_info("pfx2as", "old.txt", at(1000), 2),
                            {{"192.0.2.0/24", {64500}}, {"198.51.100.0/24", {64501}}}));
  must(data.replace_origins(data_set_info("pfx2as", "new.txt", at(2000), 1, 3),
                            {{"203.0.113.0/24", {64502, 64503}}}));
  const std::vector<OriginRow> rows = must(data.origins());
  ASSERT_EQ(rows.size(), 1u) << "only the second load's rows";
  EXPECT_EQ(rows[0].prefix, "203.0.113.0/24");
  EXPECT_EQ(rows[0].origins, (std::vector<uint32_t>{64502, 64503})) << "in order: first primary";
  const std::vector<DataSetInfo> sets = must(data.data_sets());
  ASSERT_EQ(sets.size(), 1u) << "one entry per kind";
  EXPECT_EQ(sets[0].kind, "pfx2as");
  EXPECT_EQ(sets[0].source, "new.txt");
  EXPECT_EQ(sets[0].loaded_at, at(2000));
  EXPECT_EQ(sets[0].entries, 1);
  EXPECT_EQ(sets[0].problems, 3);
}

TEST_P(NetworkDataStoreContract, DelegationsAndAsNamesComeBackAsLoaded) {
  NetworkDataStore& data = db().network_data();
  must(data.replace_delegations(data_set_info("delegated", "delegated-apnic.txt", at(1000), 2),
                                {{"192.0.2.0/24", "apnic", "JP", "allocated"},
                                 {"2001:db8::/32", "apnic", "AU", "assigned"}}));
  must(data.replace_as_names(data_set_info("as2org", "as2org.txt", at(1100), 2, 1),
                             {{64500, "EXAMPLE-AS", "JP"}, {64501, "OTHER-AS", "US"}}));
  std::set<std::string> delegations;
  for (const DelegationRow& d : must(data.delegations()))
    delegations.insert(d.prefix + " " + d.registry + " " + d.country + " " + d.status);
  EXPECT_EQ(delegations, (std::set<std::string>{"192.0.2.0/24 apnic JP allocated",
                                                "2001:db8::/32 apnic AU assigned"}));
  std::set<std::string> names;
  for (const AsNameRow& a : must(data.as_names()))
    names.insert(std::to_string(a.asn) + " " + a.name + " " + a.country);
  EXPECT_EQ(names, (std::set<std::string>{"64500 EXAMPLE-AS JP", "64501 OTHER-AS US"}));
  const std::vector<DataSetInfo> listed = must(data.data_sets());
  ASSERT_EQ(listed.size(), 2u) << "one entry per kind";
  std::map<std::string, DataSetInfo> sets;
  for (const DataSetInfo& s : listed) sets[s.kind] = s;
  EXPECT_EQ(sets["delegated"].source, "delegated-apnic.txt");
  EXPECT_EQ(sets["delegated"].entries, 2);
  EXPECT_EQ(sets["delegated"].problems, 0);
  EXPECT_EQ(sets["as2org"].loaded_at, at(1100));
  EXPECT_EQ(sets["as2org"].problems, 1);
}

TEST_P(NetworkDataStoreContract, DocumentsAreReplacedPerKindInTheOrderStored) {
  NetworkDataStore& data = db().network_data();
  must(data.replace_documents(data_set_info("csirts", "csirts.json", at(1000), 1),
                              {{"csirts.json", "old"}}));
  must(data.replace_documents(data_set_info("contacts", "contacts.json", at(1000), 1),
                              {{"contacts.json", "{}"}}));
  must(data.replace_documents(data_set_info("csirts", "dir", at(2000), 2),
                              {{"z.json", "zed"}, {"a.json", "ay"}}));
  const std::vector<DataDocument> csirts = must(data.documents("csirts"));
  ASSERT_EQ(csirts.size(), 2u) << "only the second load of the kind";
  EXPECT_EQ(csirts[0].name, "z.json");
  EXPECT_EQ(csirts[0].content, "zed");
  EXPECT_EQ(csirts[1].name, "a.json");
  EXPECT_EQ(csirts[1].content, "ay");
  const std::vector<DataDocument> contacts = must(data.documents("contacts"));
  ASSERT_EQ(contacts.size(), 1u) << "another kind is left as it was";
  EXPECT_EQ(contacts[0].name, "contacts.json");
  EXPECT_TRUE(must(data.documents("rdap")).empty());
  EXPECT_EQ(must(data.data_sets()).size(), 2u);
}

TEST_P(NetworkDataStoreContract, EveryLoadRaisesTheDataVersion) {
  // Not in the header: DataSetInfo::version is the store's, raised by every load of any kind
  // (migration 004); enrichment takes the highest as the version of the data it used
  // (enrich/network_data.cpp) and enriches again when it rises.
  NetworkDataStore& data = db().network_data();
  const auto version_of = [&data](const std::string& kind) -> int64_t {
    for (const DataSetInfo& s : must(data.data_sets())) {
      if (s.kind == kind) return s.version;
    }
    throw std::runtime_error("no data set of kind " + kind);
  };
  must(data.replace_origins(data_set_info("pfx2as", "a.txt", at(1000), 0), {}));
  const int64_t first = version_of("pfx2as");
  must(data.replace_as_names(data_set_info("as2org", "b.txt", at(1100), 0), {}));
  const int64_t second = version_of("as2org");
  must(data.replace_origins(data_set_info("pfx2as", "c.txt", at(1200), 0), {}));
  const int64_t third = version_of("pfx2as");
  EXPECT_GT(second, first);
  EXPECT_GT(third, second);
}

// --- SettingStore ---------------------------------------------------------------------------

TEST_P(SettingStoreContract, ASettingIsStoredReplacedAndRemoved) {
  SettingStore& settings = db().settings();
  EXPECT_FALSE(must(settings.setting("demo")));
  must(db().begin());
  must(settings.set_setting("demo", "1"));
  must(settings.set_setting("smtp.breaker_open", "2024-04-01T00:00:00Z"));
  must(db().commit());
  EXPECT_EQ(must(settings.setting("demo")), Text("1"));
  must(db().begin());
  must(settings.set_setting("demo", "0"));
  must(db().commit());
  EXPECT_EQ(must(settings.setting("demo")), Text("0"));
  must(db().begin());
  must(settings.set_setting("demo", std::nullopt));
  must(db().commit());
  EXPECT_FALSE(must(settings.setting("demo"))) << "nullopt removes";
  EXPECT_EQ(must(settings.setting("smtp.breaker_open")), Text("2024-04-01T00:00:00Z"));
}

TEST_P(SettingStoreContract, AOneTimeSettingIsTakenOnceEvenByTwoAtOnce) {
  must(db().settings().set_setting("token", std::string("abc")));
  EXPECT_FALSE(must(db().settings().take_setting("token", "other"))) << "another value";
  EXPECT_TRUE(must(db().settings().setting("token")));
  // Two connections take it at once: the first holds its transaction open while the second
  // tries; of the two, one only may get true.
  std::unique_ptr<Database> other = connect_again();
  ASSERT_TRUE(other);
  must(db().begin());
  const bool first = must(db().settings().take_setting("token", "abc"));
  auto second = std::async(std::launch::async, [&]() -> std::optional<bool> {
    if (!other->begin()) return std::nullopt;  // SQLite: busy while the first writes
    auto taken = other->settings().take_setting("token", "abc");
    if (!taken) {
      other->rollback();
      return std::nullopt;
    }
    if (!other->commit()) return std::nullopt;
    return *taken;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  must(db().commit());
  const std::optional<bool> got = second.get();
  EXPECT_TRUE(first);
  EXPECT_NE(got, std::optional<bool>(true)) << "the second taker must not get it too";
  EXPECT_FALSE(must(db().settings().setting("token")));
  EXPECT_FALSE(must(db().settings().take_setting("token", "abc"))) << "spent";
}

TEST_P(SettingStoreContract, AConfirmedDirectoryEntryIsListedOnce) {
  SettingStore& settings = db().settings();
  EXPECT_TRUE(must(settings.verified_directory_entries()).empty());
  must(db().begin());
  must(settings.verify_directory_entry("JPCERT/CC", "handler:aki", at(1000)));
  must(settings.verify_directory_entry("JPCERT/CC", "handler:ben", at(2000)));
  must(settings.verify_directory_entry("KrCERT/CC", "handler:aki", at(1000)));
  must(db().commit());
  EXPECT_EQ(must(settings.verified_directory_entries()),
            (std::set<std::string>{"JPCERT/CC", "KrCERT/CC"}));
}

// --- ReportQueries --------------------------------------------------------------------------

TEST_P(ReportQueriesContract, FiguresCountWhatArrivedInThePeriod) {
  must(db().begin());
  const Id in = new_report(a_report(IncidentType::kScan, at(1000)));
  filed(in, a_message("sha-1", at(1000)), "first");
  filed(in, a_message("sha-2", at(1500)), "followup");
  new_incident(an_incident(in, "192.0.2.1", IncidentType::kScan));
  new_incident(an_incident(in, "192.0.2.2", IncidentType::kPhishing));
  const Id out = new_report(a_report(IncidentType::kScan, at(2000)));  // at `to`: outside
  filed(out, a_message("sha-3", at(2000)), "first");
  new_incident(an_incident(out, "192.0.2.3", IncidentType::kScan, at(2000)));
  must(db().commit());
  report::Figures f = report::figures(must(db().queries().figure_rows(at(0), at(2000))), 100);
  EXPECT_EQ(f.messages, 2);
  EXPECT_EQ(f.reports, 1);
  EXPECT_EQ(f.incidents, 2);
  EXPECT_EQ(f.by_type["scan"], 1);
  EXPECT_EQ(f.by_type["phishing"], 1);
  // Every type is listed, 0 when none (`kizuna stats --json` shows all five).
  for (const char* type : {"scan", "forged", "intrusion", "phishing", "other"}) {
    EXPECT_EQ(f.by_type.count(type), 1u) << type;
  }
}

TEST_P(ReportQueriesContract, FiguresCountMailsSentInThePeriod) {
  const auto sent = [](const std::string& kind, const std::string& audience, Time when) {
    NoticeRecord n = a_notice({}, "sent");
    n.kind = *parse_notice_kind(kind);
    n.audience = *parse_audience(audience);
    n.sent_at = when;
    return n;
  };
  must(db().begin());
  new_notice(sent("notice", "responder", at(1500)));
  new_notice(sent("reminder", "responder", at(1600)));
  new_notice(sent("ack", "reporter", at(1700)));
  new_notice(sent("notice", "responder", at(2500)));
  new_notice(a_notice({}, "approved"));
  must(db().commit());
  const report::Figures f =
      report::figures(must(db().queries().figure_rows(at(1000), at(2000))), 100);
  EXPECT_EQ(f.notifications, 2) << "reminders included";
  EXPECT_EQ(f.reporter_mails, 1);
}

TEST_P(ReportQueriesContract, ReportsAreListedByTypeStatusAndPeriod) {
  must(db().begin());
  const Id scan = new_report(a_report(IncidentType::kScan, at(1000)));
  const Id open = new_report(a_report(IncidentType::kPhishing, at(2000)));
  const Id closed = new_report(a_report(IncidentType::kPhishing, at(3000)));
  const Id later = new_report(a_report(IncidentType::kPhishing, at(4000)));
  close_report(closed, at(3500));
  must(db().commit());
  ReportQueries& q = db().queries();
  // In number order: the next page starts after the last number shown (ReportFilter::after).
  ReportFilter phishing;
  phishing.type = "phishing";
  EXPECT_EQ(ids(must(q.list_reports(phishing))), (std::vector<Id>{open, closed, later}));
  EXPECT_EQ(must(q.count_reports(phishing)), 3);
  ReportFilter closed_ones;
  closed_ones.status = "closed";
  EXPECT_EQ(ids(must(q.list_reports(closed_ones))), (std::vector<Id>{closed}));
  EXPECT_EQ(must(q.count_reports(closed_ones)), 1);
  ReportFilter period;
  period.from = at(2000);
  period.to = at(4000);
  EXPECT_EQ(ids(must(q.list_reports(period))), (std::vector<Id>{open, closed})) << "to: exclusive";
  EXPECT_EQ(must(q.count_reports(period)), 2);
  ReportFilter open_scans;
  open_scans.type = "scan";
  open_scans.status = "open";
  EXPECT_EQ(ids(must(q.list_reports(open_scans))), (std::vector<Id>{scan}));
}

TEST_P(ReportQueriesContract, RedReportsAreHiddenButFromTheirAssignee) {
  const Time t = at(1000);
  must(db().begin());
  const Id tanaka = must(db().users().add_user(user_record("tanaka", "handler", "", t)));
  const Id suzuki = must(db().users().add_user(user_record("suzuki", "handler", "", t)));
  ReportRecord red = a_report(IncidentType::kScan, t);
  red.tlp = " tlp:red ";
  const Id red_theirs = new_report(red);
  const Id red_other = new_report(red);
  ReportRecord blank = a_report(IncidentType::kScan, t);
  const Id unmarked = new_report(blank);
  ReportRecord amber = a_report(IncidentType::kScan, t);
  amber.tlp = "AMBER";
  const Id amber_id = new_report(amber);
  must(db().reports().set_assignee(red_theirs, tanaka));
  must(db().reports().set_assignee(amber_id, suzuki));
  must(db().commit());
  ReportQueries& q = db().queries();
  ReportFilter all;
  EXPECT_EQ(ids(must(q.list_reports(all))),
            (std::vector<Id>{red_theirs, red_other, unmarked, amber_id}));
  ReportFilter for_tanaka;
  for_tanaka.hide_red = true;
  for_tanaka.viewer = tanaka;
  EXPECT_EQ(ids(must(q.list_reports(for_tanaka))),
            (std::vector<Id>{red_theirs, unmarked, amber_id}));
  EXPECT_EQ(must(q.count_reports(for_tanaka)), 3);
  ReportFilter for_suzuki = for_tanaka;
  for_suzuki.viewer = suzuki;
  EXPECT_EQ(ids(must(q.list_reports(for_suzuki))), (std::vector<Id>{unmarked, amber_id}));
  for_suzuki.blank_is_red = true;  // [centre] default_tlp = RED
  EXPECT_EQ(ids(must(q.list_reports(for_suzuki))), (std::vector<Id>{amber_id}));
  ReportFilter mine;
  mine.assignee = suzuki;
  EXPECT_EQ(ids(must(q.list_reports(mine))), (std::vector<Id>{amber_id}));
  ReportFilter nobodys;
  nobodys.assignee = 0;
  EXPECT_EQ(ids(must(q.list_reports(nobodys))), (std::vector<Id>{red_other, unmarked}));
  const auto listed = must(q.list_reports(mine));
  EXPECT_EQ(listed[0].assignee_name, "suzuki");
  EXPECT_EQ(listed[0].report.assignee, suzuki);
  EXPECT_EQ(must(q.report_detail(red_theirs)).summary.assignee_name, "tanaka");
  // Their incidents follow them.
  must(db().begin());
  const Id i_theirs = new_incident(an_incident(red_theirs, "192.0.2.1"));
  new_incident(an_incident(red_other, "192.0.2.2"));
  const Id i_amber = new_incident(an_incident(amber_id, "192.0.2.3"));
  must(db().commit());
  IncidentFilter incidents;
  incidents.hide_red = true;
  incidents.viewer = tanaka;
  EXPECT_EQ(ids(must(q.list_incidents(incidents))), (std::vector<Id>{i_theirs, i_amber}));
  EXPECT_EQ(must(q.count_incidents(incidents)), 2);
  incidents.viewer = suzuki;
  incidents.blank_is_red = true;
  EXPECT_EQ(ids(must(q.list_incidents(incidents))), (std::vector<Id>{i_amber}));
  EXPECT_EQ(must(q.count_incidents(IncidentFilter{})), 3);
}

TEST_P(ReportQueriesContract, ReportsArePagedByNumber) {
  must(db().begin());
  std::vector<Id> all;
  for (int k = 0; k < 5; ++k)
    all.push_back(new_report(a_report(IncidentType::kScan, at(1000 + k))));
  must(db().commit());
  ReportQueries& q = db().queries();
  ReportFilter page;
  page.limit = 2;
  EXPECT_EQ(ids(must(q.list_reports(page))), (std::vector<Id>{all[0], all[1]}));
  EXPECT_EQ(must(q.count_reports(page)), 5) << "whatever the limit";
  page.after = all[1];
  EXPECT_EQ(ids(must(q.list_reports(page))), (std::vector<Id>{all[2], all[3]}));
  EXPECT_EQ(must(q.count_reports(page)), 3) << "after `after`";
  page.after = all[3];
  EXPECT_EQ(ids(must(q.list_reports(page))), (std::vector<Id>{all[4]}));
}

TEST_P(ReportQueriesContract, AListedReportCountsItsMessagesAndIncidents) {
  must(db().begin());
  ReportRecord rr = a_report();
  rr.reporter = new_reporter("csirt@example.org");
  const Id r = new_report(rr);
  filed(r, a_message("sha-1"), "first");
  filed(r, a_message("sha-2"), "followup");
  for (const char* ip : {"192.0.2.1", "192.0.2.2", "192.0.2.3"}) new_incident(an_incident(r, ip));
  must(db().commit());
  const std::vector<ReportSummary> listed = must(db().queries().list_reports(ReportFilter{}));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].report.id, r);
  EXPECT_EQ(listed[0].report.cls.type, IncidentType::kPhishing);
  EXPECT_EQ(listed[0].reporter_address, "csirt@example.org");
  EXPECT_EQ(listed[0].messages, 2);
  EXPECT_EQ(listed[0].incidents, 3);
}

TEST_P(ReportQueriesContract, AReportsDetailHoldsWhatWasFiledUnderIt) {
  MessageRecord first = a_message("sha-1", at(1000));
  first.sender = "csirt@example.org";
  first.subject = "Phishing at phish.example";
  must(db().begin());
  const Id r = new_report(a_report());
  const Id m1 = filed(r, first, "first");
  const Id m2 = filed(r, a_message("sha-2", at(2000)), "followup");
  const Id i = new_incident(an_incident(r, "192.0.2.1"));
  must(db().incidents().add_ports(i, {{"tcp", 443, 3}}));
  new_site(i, "http://phish.example/login");
  must(db().reports().add_tags(r, {"after:tampering"}));
  must(db().events().append_event(
      {at(1000), "system:intake", "report.created", "report:" + std::to_string(r), "{}"}));
  const Id other = new_report(a_report());
  filed(other, a_message("sha-3"), "first");
  new_incident(an_incident(other, "192.0.2.9"));
  must(db().commit());
  const ReportDetail d = must(db().queries().report_detail(r));
  EXPECT_EQ(d.summary.report.id, r);
  EXPECT_EQ(d.summary.messages, 2);
  EXPECT_EQ(d.summary.incidents, 1);
  ASSERT_EQ(set_of(ids(d.messages)), (std::set<Id>{m1, m2}));
  for (const MessageSummary& m : d.messages) {
    if (m.id != m1) continue;
    EXPECT_EQ(m.role, "first");
    EXPECT_EQ(m.sender, "csirt@example.org");
    EXPECT_EQ(m.subject, "Phishing at phish.example");
    EXPECT_EQ(m.received_at, at(1000));
    EXPECT_EQ(m.parse_status, ParseStatus::kOk);
  }
  ASSERT_EQ(d.incidents.size(), 1u);
  EXPECT_EQ(d.incidents[0].incident.ip, "192.0.2.1");
  EXPECT_EQ(d.incidents[0].urls, (std::vector<std::string>{"http://phish.example/login"}));
  EXPECT_EQ(port_hits(d.incidents[0].ports), (std::map<std::string, int>{{"tcp/443", 3}}));
  EXPECT_EQ(d.tags, (std::vector<std::string>{"after:tampering"}));
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].action, "report.created");
  EXPECT_EQ(outcome(db().queries().report_detail(other + 1000)), "kNotFound");
}

TEST_P(ReportQueriesContract, IncidentsAreListedByAddressAndReport) {
  must(db().begin());
  const Id r1 = new_report(a_report());
  const Id a = new_incident(an_incident(r1, "192.0.2.1"));
  new_site(a, "http://phish.example/");
  const Id b = new_incident(an_incident(r1, "192.0.2.2"));
  const Id r2 = new_report(a_report());
  const Id c = new_incident(an_incident(r2, "192.0.2.1"));
  must(db().commit());
  ReportQueries& q = db().queries();
  IncidentFilter by_ip;
  by_ip.ip = "192.0.2.1";
  const std::vector<IncidentSummary> on_ip = must(q.list_incidents(by_ip));
  EXPECT_EQ(set_of(ids(on_ip)), (std::set<Id>{a, c}));
  EXPECT_EQ(must(q.count_incidents(by_ip)), 2);
  for (const IncidentSummary& s : on_ip) {
    if (s.incident.id == a) {
      EXPECT_EQ(s.urls, (std::vector<std::string>{"http://phish.example/"}));
    }
  }
  IncidentFilter of_report;
  of_report.report = r1;
  EXPECT_EQ(set_of(ids(must(q.list_incidents(of_report)))), (std::set<Id>{a, b}));
  EXPECT_EQ(must(q.count_incidents(of_report)), 2);
  IncidentFilter both = by_ip;
  both.report = r2;
  EXPECT_EQ(ids(must(q.list_incidents(both))), (std::vector<Id>{c}));
  EXPECT_EQ(must(q.count_incidents(both)), 1);
}

TEST_P(ReportQueriesContract, IncidentsArePagedByNumber) {
  must(db().begin());
  const Id r = new_report(a_report());
  std::vector<Id> all;
  for (const char* ip : {"192.0.2.1", "192.0.2.2", "192.0.2.3"})
    all.push_back(new_incident(an_incident(r, ip)));
  must(db().commit());
  ReportQueries& q = db().queries();
  IncidentFilter page;
  page.limit = 2;
  EXPECT_EQ(ids(must(q.list_incidents(page))), (std::vector<Id>{all[0], all[1]}));
  EXPECT_EQ(must(q.count_incidents(page)), 3) << "whatever the limit";
  page.after = all[1];
  EXPECT_EQ(ids(must(q.list_incidents(page))), (std::vector<Id>{all[2]}));
  EXPECT_EQ(must(q.count_incidents(page)), 1) << "after `after`";
}

// --- Transactions and the lease -------------------------------------------------------------

TEST_P(TransactionsContract, CommitWithoutBeginIsAnError) {
  EXPECT_EQ(outcome(db().commit()), "kInternal");
  must(db().begin());
  must(db().commit());
  EXPECT_EQ(outcome(db().commit()), "kInternal") << "one commit per begin";
}

TEST_P(TransactionsContract, AnInnerRollbackKeepsTheOuterWork) {
  SettingStore& settings = db().settings();
  must(db().begin());
  must(settings.set_setting("outer", "kept"));
  must(db().begin());
  must(settings.set_setting("inner", "undone"));
  db().rollback();
  must(settings.set_setting("after", "kept too"));
  must(db().commit());
  EXPECT_EQ(must(settings.setting("outer")), Text("kept"));
  EXPECT_FALSE(must(settings.setting("inner")));
  EXPECT_EQ(must(settings.setting("after")), Text("kept too"));
}

TEST_P(TransactionsContract, AnOuterRollbackUndoesEverything) {
  SettingStore& settings = db().settings();
  must(db().begin());
  must(settings.set_setting("outer", "1"));
  must(db().begin());
  must(settings.set_setting("inner", "2"));
  must(db().commit());  // the inner level only
  db().rollback();
  EXPECT_FALSE(must(settings.setting("outer")));
  EXPECT_FALSE(must(settings.setting("inner")));
  must(db().begin());
  must(settings.set_setting("next", "3"));
  must(db().commit());
  EXPECT_EQ(must(settings.setting("next")), Text("3")) << "the next transaction works";
}

// A write the database refuses fails its transaction at once or, where the driver sends writes
// without waiting for their answers (PostgreSQL's pipeline), by the commit at the latest; either
// way nothing of the transaction is kept, and the next one works.
TEST_P(TransactionsContract, ARefusedWriteFailsItsTransactionByTheCommitAtTheLatest) {
  const Id m = stored(a_message("<refused-write@example.jp>"));
  must(db().begin());
  must(db().settings().set_setting("before", "1"));
  const Status write = db().reports().attach_message(999999, m, "first");  // no such report
  const Status commit = write ? db().commit() : Status{};
  EXPECT_TRUE(!write || !commit) << "a write to a report that does not exist must fail";
  db().rollback();
  EXPECT_FALSE(must(db().settings().setting("before"))) << "nothing of it is kept";
  must(db().begin());
  must(db().settings().set_setting("after", "2"));
  must(db().commit());
  EXPECT_EQ(must(db().settings().setting("after")), Text("2")) << "the next transaction works";
}

TEST_P(TransactionsContract, AFailureInAnInnerLevelIsUndoneAloneByItsRollback) {
  const Id m = stored(a_message("<refused-inner@example.jp>"));
  must(db().begin());
  must(db().settings().set_setting("outer", "1"));
  must(db().begin());
  const Status write = db().reports().attach_message(999999, m, "first");
  const Status inner = write ? db().commit() : Status{};
  EXPECT_TRUE(!write || !inner);
  db().rollback();  // the inner level
  must(db().settings().set_setting("outer2", "2"));
  must(db().commit());
  EXPECT_EQ(must(db().settings().setting("outer")), Text("1")) << "the outer work is kept";
  EXPECT_EQ(must(db().settings().setting("outer2")), Text("2"));
}

TEST_P(TransactionsContract, OnlyTheOutermostCommitIsSeenElsewhere) {
  std::unique_ptr<Database> other = connect_again();
  ASSERT_TRUE(other != nullptr);
  must(db().begin());
  must(db().settings().set_setting("outer", "1"));
  must(db().begin());
  must(db().settings().set_setting("inner", "2"));
  must(db().commit());
  EXPECT_FALSE(must(other->settings().setting("inner"))) << "the outer transaction is open";
  must(db().commit());
  EXPECT_EQ(must(other->settings().setting("inner")), Text("2"));
  EXPECT_EQ(must(other->settings().setting("outer")), Text("1"));
}

TEST_P(TransactionsContract, ARollbackWithNothingOpenChangesNothing) {
  // Not in the header: error paths roll back without knowing whether a transaction is open.
  must(db().begin());
  must(db().settings().set_setting("kept", "1"));
  must(db().commit());
  db().rollback();
  EXPECT_EQ(must(db().settings().setting("kept")), Text("1"));
  must(db().begin());
  must(db().commit());
}

TEST_P(TransactionsContract, AnIdleStoreDoesNotMakeBeginWait) {
  EXPECT_FALSE(db().begin_would_wait()) << "nothing committed: nothing to flush";
  must(db().begin());
  must(db().commit());
}

TEST_P(TransactionsContract, ARoleIsHeldByOneDatabaseAtATime) {
  std::unique_ptr<Database> other = connect_again();
  ASSERT_TRUE(other != nullptr);
  auto first = db().hold_exclusive("worker");
  ASSERT_TRUE(first) << first.error().to_string();
  EXPECT_EQ(outcome(other->hold_exclusive("worker")), "kUnavailable")
      << "two workers would send the same notice";
  EXPECT_EQ(outcome(other->hold_exclusive("checker")), "ok") << "roles are apart";
  first->reset();
  EXPECT_EQ(outcome(other->hold_exclusive("worker")), "ok") << "free once the lease is gone";
}

TEST_P(TransactionsContract, ASharedRoleIsHeldByManyAndKeepsTheExclusiveOut) {
  std::unique_ptr<Database> other = connect_again();
  std::unique_ptr<Database> third = connect_again();
  ASSERT_TRUE(other != nullptr && third != nullptr);
  auto a = db().hold_shared("worker");
  auto b = other->hold_shared("worker");
  ASSERT_TRUE(a) << a.error().to_string();
  ASSERT_TRUE(b) << "workers on PostgreSQL run side by side: " << b.error().to_string();
  EXPECT_EQ(outcome(third->hold_exclusive("worker")), "kUnavailable")
      << "db copy must not run while any worker does";
  a->reset();
  EXPECT_EQ(outcome(third->hold_exclusive("worker")), "kUnavailable") << "one worker still runs";
  b->reset();
  auto copy = third->hold_exclusive("worker");
  EXPECT_TRUE(copy) << "no worker left";
  EXPECT_EQ(outcome(db().hold_shared("worker")), "kUnavailable")
      << "no worker starts while the copy runs";
}

// --- JobClaims ------------------------------------------------------------------------------

// Claims are made in the caller's transaction, as the workers make them.
std::vector<Id> claimed(Database& db, std::string_view kind, const std::vector<Id>& ids,
                        const std::string& worker, int64_t now, int64_t until, size_t limit) {
  must(db.begin());
  auto got = must(db.jobs().claim(kind, ids, worker, at(now), at(until), limit));
  must(db.commit());
  return got;
}

TEST_P(JobClaimsContract, AJobIsClaimedByOneWorkerUntilItsLeaseEnds) {
  std::unique_ptr<Database> other = connect_again();
  ASSERT_TRUE(other != nullptr);
  EXPECT_EQ(claimed(db(), "send", {1, 2, 3}, "a:1", 100, 105, 2), (std::vector<Id>{1, 2}))
      << "at most the limit, in the order given";
  EXPECT_EQ(claimed(*other, "send", {1, 2, 3}, "b:2", 101, 106, 10), (std::vector<Id>{3}))
      << "what another worker holds is skipped";
  EXPECT_EQ(claimed(*other, "check", {1}, "b:2", 101, 106, 10), (std::vector<Id>{1}))
      << "kinds are apart: site 1 is not notice 1";
  EXPECT_EQ(claimed(*other, "send", {1, 2}, "b:2", 105, 110, 10), (std::vector<Id>{1, 2}))
      << "a lease that ended is taken over";
  EXPECT_EQ(claimed(db(), "send", {1, 2}, "a:1", 106, 111, 10), (std::vector<Id>{}))
      << "the first worker lost them";
}

TEST_P(JobClaimsContract, AReleasedJobIsFreeAndAForgottenWorkerHoldsNothing) {
  EXPECT_EQ(claimed(db(), "send", {7, 8}, "a:1", 100, 200, 10), (std::vector<Id>{7, 8}));
  must(db().begin());
  must(db().jobs().release("send", 7, "b:2"));  // not b's: nothing happens
  must(db().commit());
  EXPECT_EQ(claimed(db(), "send", {7}, "b:2", 101, 201, 10), (std::vector<Id>{}));
  must(db().begin());
  must(db().jobs().release("send", 7, "a:1"));
  must(db().commit());
  EXPECT_EQ(claimed(db(), "send", {7}, "b:2", 101, 201, 10), (std::vector<Id>{7}));
  EXPECT_EQ(must(db().jobs().claimants()), (std::vector<std::string>{"a:1", "b:2"}));
  must(db().begin());
  must(db().jobs().forget("a:1"));
  must(db().commit());
  EXPECT_EQ(claimed(db(), "send", {8}, "b:2", 101, 201, 10), (std::vector<Id>{8}))
      << "the forgotten worker's job is free at once";
  EXPECT_EQ(must(db().jobs().claimants()), (std::vector<std::string>{"b:2"}));
}

TEST_P(JobClaimsContract, AWorkerRenewsItsOwnClaim) {
  EXPECT_EQ(claimed(db(), "check", {5}, "a:1", 100, 105, 10), (std::vector<Id>{5}));
  EXPECT_EQ(claimed(db(), "check", {5}, "a:1", 104, 120, 10), (std::vector<Id>{5}));
  EXPECT_EQ(claimed(db(), "check", {5}, "b:2", 110, 125, 10), (std::vector<Id>{}))
      << "the renewed lease runs to 120";
}

// --- Back ends under contract ---------------------------------------------------------------

// --- UserStore ------------------------------------------------------------------------------

TEST_P(UserStoreContract, AUserIsFoundByNameAndANameIsTakenOnce) {
  const Time t = Time{std::chrono::seconds{1'700'000'000}};
  must(db().begin());
  const Id id = must(db().users().add_user(user_record("tanaka", "handler", "hash-1", t)));
  EXPECT_FALSE(db().users().add_user(user_record("tanaka", "admin", "", t)))
      << "a second user of that name";
  must(db().commit());
  auto u = must(db().users().user_by_name("tanaka"));
  ASSERT_TRUE(u);
  EXPECT_EQ(u->id, id);
  EXPECT_EQ(u->role, "handler");
  EXPECT_EQ(u->password_hash, "hash-1");
  EXPECT_FALSE(u->disabled);
  EXPECT_EQ(u->created_at, t);
  EXPECT_FALSE(must(db().users().user_by_name("suzuki")));
  must(db().users().set_disabled(id, true));
  must(db().users().set_password_hash(id, "hash-2"));
  u = must(db().users().user_by_id(id));
  EXPECT_TRUE(u->disabled);
  EXPECT_EQ(u->password_hash, "hash-2");
  EXPECT_EQ(must(db().users().count_users()), 1);
}

TEST_P(UserStoreContract, ATokenIsFoundByItsHashUntilRevokedByItsOwner) {
  const Time t = Time{std::chrono::seconds{1'700'000'000}};
  const Id a = must(db().users().add_user(user_record("a", "handler", "", t)));
  const Id b = must(db().users().add_user(user_record("b", "analyst", "", t)));
  TokenRecord tok;
  tok.user = a;
  tok.label = "mta";
  tok.token_hash = std::string(64, 'f');
  tok.scopes = "read messages:submit";
  tok.created_at = t;
  tok.expires_at = t + std::chrono::hours(24);
  const Id id = must(db().users().add_token(tok));
  auto found = must(db().users().token_by_hash(std::string(64, 'f')));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->user, a);
  EXPECT_EQ(found->scopes, "read messages:submit");
  EXPECT_EQ(found->expires_at, tok.expires_at);
  EXPECT_FALSE(found->revoked_at);
  EXPECT_FALSE(must(db().users().token_by_hash(std::string(64, 'e'))));
  EXPECT_FALSE(db().users().revoke_token(b, id, t)) << "not b's token";
  must(db().users().revoke_token(a, id, t + std::chrono::seconds(5)));
  found = must(db().users().token_by_hash(std::string(64, 'f')));
  EXPECT_EQ(found->revoked_at, t + std::chrono::seconds(5));
  EXPECT_EQ(must(db().users().tokens_of(a)).size(), 1u);
  EXPECT_TRUE(must(db().users().tokens_of(b)).empty());
}

TEST_P(UserStoreContract, FailedLoginsAreCountedUntilASuccess) {
  const Time t = Time{std::chrono::seconds{1'700'000'000}};
  const Id a = must(db().users().add_user(user_record("a", "handler", "", t)));
  EXPECT_EQ(must(db().users().login_failed(a, t)), 1);
  EXPECT_EQ(must(db().users().login_failed(a, t + std::chrono::seconds(3))), 2);
  auto u = must(db().users().user_by_id(a));
  EXPECT_EQ(u->failed_logins, 2);
  EXPECT_EQ(u->last_failed_login, t + std::chrono::seconds(3));
  must(db().users().login_succeeded(a));
  u = must(db().users().user_by_id(a));
  EXPECT_EQ(u->failed_logins, 0);
  EXPECT_FALSE(u->last_failed_login);
}

TEST_P(UserStoreContract, ATotpStepIsAcceptedOnce) {
  const Time t = Time{std::chrono::seconds{1'700'000'000}};
  const Id a = must(db().users().add_user(user_record("a", "admin", "", t)));
  must(db().users().set_totp_secret(a, "JBSWY3DPEHPK3PXP"));
  EXPECT_EQ(must(db().users().user_by_id(a))->totp_secret, "JBSWY3DPEHPK3PXP");
  EXPECT_TRUE(must(db().users().use_totp_step(a, 1000)));
  EXPECT_FALSE(must(db().users().use_totp_step(a, 1000))) << "a replay";
  EXPECT_FALSE(must(db().users().use_totp_step(a, 999))) << "an older code";
  EXPECT_TRUE(must(db().users().use_totp_step(a, 1001)));
  must(db().users().set_totp_secret(a, ""));
  EXPECT_EQ(must(db().users().user_by_id(a))->totp_last_step, 0) << "a new secret starts over";
}

TEST_P(UserStoreContract, ASessionIsFoundByItsHashUntilEnded) {
  const Time t = Time{std::chrono::seconds{1'700'000'000}};
  const Id a = must(db().users().add_user(user_record("a", "handler", "", t)));
  SessionRecord s;
  s.user = a;
  s.token_hash = std::string(64, 'a');
  s.created_at = t;
  s.expires_at = t + std::chrono::hours(12);
  s.last_seen_at = t;
  s.client = "192.0.2.7";
  const Id id = must(db().users().add_session(s));
  must(db().users().add_session([&] {
    SessionRecord o = s;
    o.token_hash = std::string(64, 'b');
    return o;
  }()));
  auto found = must(db().users().session_by_hash(std::string(64, 'a')));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->user, a);
  EXPECT_EQ(found->expires_at, s.expires_at);
  EXPECT_EQ(found->client, "192.0.2.7");
  EXPECT_FALSE(found->ended_at);
  must(db().users().session_seen(id, t + std::chrono::minutes(5)));
  EXPECT_EQ(must(db().users().session_by_hash(std::string(64, 'a')))->last_seen_at,
            t + std::chrono::minutes(5));
  must(db().users().end_session(id, t + std::chrono::minutes(6)));
  EXPECT_EQ(must(db().users().session_by_hash(std::string(64, 'a')))->ended_at,
            t + std::chrono::minutes(6));
  EXPECT_FALSE(must(db().users().session_by_hash(std::string(64, 'b')))->ended_at);
  must(db().users().end_sessions_of(a, t + std::chrono::minutes(7)));
  EXPECT_EQ(must(db().users().session_by_hash(std::string(64, 'b')))->ended_at,
            t + std::chrono::minutes(7));
  EXPECT_EQ(must(db().users().session_by_hash(std::string(64, 'a')))->ended_at,
            t + std::chrono::minutes(6))
      << "an ended session keeps its end";
  EXPECT_FALSE(must(db().users().session_by_hash(std::string(64, 'c'))));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MessageStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, ReportStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, IncidentStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, SiteStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, OutboxStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, ReporterStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, EventLogContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, NetworkDataStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, SettingStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, ReportQueriesContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, TransactionsContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, JobClaimsContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, UserStoreContract, ::testing::Values(sqlite_back_end()),
                         back_end_name);

INSTANTIATE_TEST_SUITE_P(Postgres, MessageStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, ReportStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, IncidentStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, SiteStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, OutboxStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, ReporterStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, EventLogContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, NetworkDataStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, SettingStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, ReportQueriesContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, TransactionsContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, JobClaimsContract, ::testing::Values(postgres_back_end()),
                         back_end_name);
INSTANTIATE_TEST_SUITE_P(Postgres, UserStoreContract, ::testing::Values(postgres_back_end()),
                         back_end_name);

}  // namespace
}  // namespace kz::store
