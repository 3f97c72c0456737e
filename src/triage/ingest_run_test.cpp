#include "triage/ingest_run.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "store/sqlite/sqlite.h"

namespace kz::triage {

namespace {

namespace fs = std::filesystem;

// A mailbox whose outcome depends on order: follow-ups in a thread, second reporters of a URL
// already reported, scans of one source within the merge window, a message that is not an
// incident, garbage to quarantine and an exact duplicate, in 240 messages.
std::string mailbox() {
  std::string mbox;
  auto add = [&](int i, const std::string& from, const std::string& headers,
                 const std::string& body) {
    mbox += "From " + from + " Tue Apr 15 10:" + std::to_string(10 + i % 50) + ":00 2008\n";
    mbox += "From: " + from + "\nMessage-ID: <m" + std::to_string(i) + "@run.test>\n" + headers +
            "Date: Tue, 15 Apr 2008 10:" + std::to_string(10 + i % 50) + ":00 +0900\n\n" + body +
            "\n";
  };
  for (int i = 0; i < 240; ++i) {
    const std::string n = std::to_string(i % 37);
    switch (i % 6) {
      case 0:
        add(i, "soc@alpha.ne.jp", "Subject: port scan\n",
            "Apr 15 03:12:44 fw kernel: IN=eth0 OUT= SRC=198.51.100." + std::to_string(i % 5) +
                " DST=192.0.2.10 PROTO=TCP SPT=4411 DPT=" + std::to_string(22 + i % 3) + "\n");
        break;
      case 1:
        add(i, "abuse@beta.com", "Subject: Phishing site\n",
            "Phishing site: hxxp://pp" + n + ".example[.]com/login\n");
        break;
      case 2:
        add(i, "soc@alpha.ne.jp",
            "Subject: Re: port scan\nIn-Reply-To: <m" + std::to_string(i - 2) + "@run.test>\n",
            "The scans go on.\n");
        break;
      case 3:
        add(i, "user@gamma.jp", "Subject: question\n", "How do I report an incident to you?\n");
        break;
      case 4:
        add(i, "noc@delta.de", "Subject: Phishing\n",
            "Phishing: http://pp" + n + ".example.com/login (203.0.113." + n + ")\n");
        break;
      default:
        mbox += i % 12 == 5
                    ? "From x Tue Apr 15 10:00:00 2008\n\x01\x02 not a mail " + n + "\n"
                    : "From soc@alpha.ne.jp Tue Apr 15 10:00:00 2008\nFrom: soc@alpha.ne.jp\n"
                      "Message-ID: <m0@run.test>\nSubject: port scan\n"
                      "Date: Tue, 15 Apr 2008 10:10:00 +0900\n\n"
                      "Apr 15 03:12:44 fw kernel: IN=eth0 OUT= SRC=198.51.100.0 DST=192.0.2.10 "
                      "PROTO=TCP SPT=4411 DPT=22\n\n";
    }
  }
  return mbox;
}

class IngestRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("kz_run_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
    std::ofstream(dir_ / "in" / "a.mbox") << mailbox();
    std::ofstream(dir_ / "in" / "b.json")
        << R"({"Version": "4", "ReporterInfo": {"ReporterOrg": "Feed", "ReporterContactEmail": "feed@epsilon.example"},)"
           R"( "Report": {"ReportClass": "Connection", "ReportType": "port_scan", "Date": "2008-04-15T10:00:00Z",)"
           R"( "SourceIp": "198.51.100.200", "DestinationPort": 23}})";
    // The same files again (other inodes: the walk reads a file reached twice only once).
    fs::copy(dir_ / "in", dir_ / "again");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // One line per outcome and per unreadable path, in the order the sink heard them.
  // `most_ahead`, if given, is set to the most items ever handed to the run and not yet written.
  std::vector<std::string> run(const std::string& db, IngestRunOptions options,
                               const store::SqliteOptions& sqlite = {}, int* most_ahead = nullptr) {
    auto store = store::open_sqlite_store((dir_ / db).string(), sqlite);
    EXPECT_TRUE(store);
    Ingestor ingestor(IngestStores::of(**store), TriageConfig{}, intake::MimeOptions{}, clock_);
    std::vector<std::string> log;
    IngestRunSink sink;
    int handed = 0;
    int written = 0;
    sink.outcome = [&](const intake::InputItem& item, const IngestOutcome& o) {
      ++written;
      log.push_back(item.source + " status=" + std::to_string(static_cast<int>(o.status)) +
                    " message=" + std::to_string(o.message) +
                    " report=" + std::to_string(o.report.value_or(0)) + " by=" + o.merged_by +
                    " purpose=" + std::to_string(static_cast<int>(o.purpose)));
    };
    sink.not_read = [&](const std::string& source, const std::string& problem,
                        intake::ProblemKind) {
      log.push_back("unreadable " + source + ": " + problem);
    };
    const std::vector<std::string> paths = {(dir_ / "in").string(), (dir_ / "missing.eml").string(),
                                            (dir_ / "again").string()};
    const auto s = ingest_all(
        [&](const intake::ItemSink& item, const intake::ProblemSink& problem) {
          intake::walk_inputs(
              paths,
              [&](intake::InputItem&& i) {
                ++handed;
                if (most_ahead) *most_ahead = std::max(*most_ahead, handed - 1 - written);
                return item(std::move(i));
              },
              problem);
        },
        ingestor, **store, options, sink);
    EXPECT_TRUE(s) << s.error().to_string();
    store::ReportFilter all;
    all.limit = 100000;
    auto reports = (*store)->queries().list_reports(all);
    EXPECT_TRUE(reports);
    for (const auto& r : *reports) {
      log.push_back("report " + std::to_string(r.report.id) + " " +
                    std::string(to_string(r.report.cls.type)) + " messages=" +
                    std::to_string(r.messages) + " incidents=" + std::to_string(r.incidents));
    }
    return log;
  }

  fs::path dir_;
  FixedClock clock_{Time{std::chrono::seconds{1'300'000'000}}};
};

}  // namespace

// Parsing ahead on other threads changes nothing a handler sees: the same messages join the
// same reports in the same order as when everything runs on one thread, across transactions and
// a ring smaller than the input; unreadable paths are reported in their place.
TEST_F(IngestRunTest, ParsingAheadOnThreadsGivesTheSameStoreAsInline) {
  IngestRunOptions inline_run;
  inline_run.prepare_threads = 0;
  inline_run.batch_size = 7;
  const auto expected = run("inline.db", inline_run);
  ASSERT_GT(expected.size(),
            480u);  // the mailbox and the JSON twice, the missing path, the reports
  // The mailbox exercises what depends on order.
  auto count = [&](const std::string& what) {
    return std::count_if(expected.begin(), expected.end(),
                         [&](const std::string& l) { return l.find(what) != std::string::npos; });
  };
  EXPECT_GT(count(" by=thread "), 10);
  EXPECT_GT(count(" by=url "), 10);
  EXPECT_GT(count(" by=ip "), 10);
  EXPECT_GT(count(" status=2 "), 5);    // quarantined
  EXPECT_GT(count(" status=1 "), 240);  // duplicates: the second walk, and the copy of m0
  for (int threads : {1, 3}) {
    for (size_t queue : {1, 5, 256}) {
      IngestRunOptions o = inline_run;
      o.prepare_threads = threads;
      o.queue = queue;
      EXPECT_EQ(run("t" + std::to_string(threads) + "q" + std::to_string(queue) + ".db", o),
                expected)
          << threads << " threads, queue " << queue;
    }
  }
  // The second walk over the same folder finds only duplicates; one missing path in between.
  EXPECT_NE(std::find_if(expected.begin(), expected.end(),
                         [](const std::string& l) {
                           return l.starts_with("unreadable ") &&
                                  l.find("missing.eml") != std::string::npos;
                         }),
            expected.end());
}

// Re-ingesting a mailbox: once the writer meets a stored duplicate, the parsing threads ask
// before parsing, and everything still comes out a duplicate.
TEST_F(IngestRunTest, ReingestingAsksTheStoreBeforeParsing) {
  IngestRunOptions o;
  o.prepare_threads = 2;
  o.queue = 8;
  run("k.db", o);
  auto reader = store::open_sqlite_store((dir_ / "k.db").string());
  ASSERT_TRUE(reader);
  std::atomic<int> asked{0};
  std::atomic<int> stored{0};
  std::mutex mu;
  o.already_stored = [&](const std::string& sha) {
    std::lock_guard lock(mu);
    ++asked;
    auto found = (*reader)->messages().find_message(sha);
    const bool known = found && found->has_value();
    if (known) ++stored;
    return known;
  };
  const auto again = run("k.db", o);
  for (const auto& line : again) {
    if (line.starts_with("unreadable") || line.starts_with("report")) continue;
    EXPECT_NE(line.find(" status=1 "), std::string::npos) << line;  // kDuplicate
  }
  EXPECT_GT(asked.load(), 400);  // all but the few parsed before the first duplicate came back
  EXPECT_EQ(stored.load(), asked.load());
}

// One thread, a store that checkpoints after every batch: while a checkpoint runs, the next
// items are parsed ahead, then written in their order, and the store ends up as when nothing
// waits.
TEST_F(IngestRunTest, ParsingAheadWhileTheStoreFlushesGivesTheSameStore) {
  IngestRunOptions o;
  o.prepare_threads = 0;
  o.batch_size = 7;
  int most_ahead = 0;
  const auto expected = run("inline.db", o, {}, &most_ahead);
  EXPECT_EQ(most_ahead, 0) << "the log never reaches 8192 pages here: nothing waits";
  store::SqliteOptions flushing;
  flushing.wal_checkpoint_pages = 1;
  EXPECT_EQ(run("flushing.db", o, flushing, &most_ahead), expected);
  EXPECT_GT(most_ahead, 0) << "some items were parsed while a checkpoint ran";
  o.flush_ahead_bytes = 0;
  most_ahead = 0;
  EXPECT_EQ(run("waiting.db", o, flushing, &most_ahead), expected);
  EXPECT_EQ(most_ahead, 0) << "no room to parse ahead: the writer waits instead";
}

// A message that fails in the store's part for a reason of its own (here the reply hook fails or
// throws for it) is kept raw as quarantined with the reason, and the messages before and after
// it in the same batch are stored as if it had not been there: the batch is rolled back and the
// ones before it written again.
TEST_F(IngestRunTest, AMessageThatFailsIsQuarantinedAndItsBatchGoesOn) {
  auto store = store::open_sqlite_store((dir_ / "f.db").string());
  ASSERT_TRUE(store);
  IngestOptions options;
  options.reply_hook = [](store::Id,
                          const intake::ParsedMessage& m) -> Result<std::optional<ReplyFiling>> {
    if (m.subject == "FAILS") return fail(Error::Internal("the hook failed"));
    if (m.subject == "THROWS") throw std::runtime_error("the hook threw");
    return std::optional<ReplyFiling>{};
  };
  Ingestor ingestor(IngestStores::of(**store), TriageConfig{}, intake::MimeOptions{}, clock_,
                    options);
  auto mail = [](const std::string& subject, int n) {
    return "From: r" + std::to_string(n) + "@example.jp\nSubject: " + subject +
           "\n\nphishing at http://203.0.113." + std::to_string(n) + "/login\n";
  };
  const std::vector<std::string> subjects = {"ok 1", "FAILS", "ok 2", "THROWS", "ok 3"};
  std::vector<std::string> log;
  IngestRunSink sink;
  sink.outcome = [&](const intake::InputItem& item, const IngestOutcome& o) {
    log.push_back(item.source + (o.status == IngestOutcome::Status::kQuarantined
                                     ? " quarantined: " + o.problem
                                     : " report " + std::to_string(o.report.value_or(0))));
  };
  IngestRunOptions run;
  run.prepare_threads = 0;
  const auto s = ingest_all(
      [&](const intake::ItemSink& item, const intake::ProblemSink&) {
        for (size_t k = 0; k < subjects.size(); ++k) {
          item(intake::InputItem{"m" + std::to_string(k),
                                 mail(subjects[k], static_cast<int>(k) + 1),
                                 intake::ItemKind::kEmail, std::nullopt});
        }
      },
      ingestor, **store, run, sink);
  ASSERT_TRUE(s) << s.error().to_string();
  EXPECT_EQ(
      log,
      (std::vector<std::string>{
          "m0 report 1", "m1 quarantined: could not be filed: the hook failed", "m2 report 2",
          "m3 quarantined: could not be filed: internal error: the hook threw", "m4 report 3"}));
  store::ReportFilter all;
  auto reports = (*store)->queries().list_reports(all);
  ASSERT_TRUE(reports);
  EXPECT_EQ(reports->size(), 3u);  // what was written before each failure was written again
  auto quarantined = (*store)->messages().quarantined_messages(10);
  ASSERT_TRUE(quarantined);
  EXPECT_EQ(quarantined->size(), 2u);
}

}  // namespace kz::triage
