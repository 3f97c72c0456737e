// Crash marks (crash_marks.h): a message that kills the process is recognised by the next run.
// Each test lets a child process die the way a poison message would make it die.
#include "triage/crash_marks.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>

namespace kz::triage {
namespace {

namespace fs = std::filesystem;

const std::string kA(64, 'a');
const std::string kB(64, 'b');

// The verdicts in memory (app/ keeps them in the database). A child forked by in_child() sees
// the parent's verdicts as they were; only the parent's own harvests count, as in the tests.
class MemoryLedger final : public VerdictLedger {
 public:
  Result<std::string> read() override {
    if (broken) return fail(Error::Io("the database is gone"));
    return text;
  }
  Status update(const std::function<void(std::string&)>& change) override {
    if (broken) return fail(Error::Io("the database is gone"));
    change(text);
    return {};
  }
  std::string text;
  bool broken = false;
};

class CrashMarksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("kz_marks_" + std::to_string(::getpid()))).string();
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs `body` in a child holding its own CrashMarks; returns how the child ended.
  int in_child(const std::function<void(CrashMarks&)>& body) {
    const pid_t pid = fork();
    if (pid == 0) {
      auto marks = CrashMarks::open(dir_, ledger_);
      if (!marks) _exit(90);
      body(**marks);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return status;
  }

  std::string dir_;
  MemoryLedger ledger_;
};

TEST_F(CrashMarksTest, AFatalSignalPoisonsTheMessageAtOnce) {
  const int status = in_child([](CrashMarks& m) {
    m.begin(kB, false);
    m.end();  // done: not blamed
    m.begin(kA, false);
    std::raise(SIGSEGV);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGSEGV);  // the handler lets the signal end the process as before
  auto marks = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(marks);
  EXPECT_EQ((*marks)->verdict(kA), CrashMarks::Verdict::kPoisoned);
  EXPECT_NE((*marks)->poison_reason(kA).find("fatal signal"), std::string::npos);
  EXPECT_EQ((*marks)->verdict(kB), CrashMarks::Verdict::kClean);
}

TEST_F(CrashMarksTest, AStackOverflowIsCaughtOnTheAlternateStack) {
  const int status = in_child([](CrashMarks& m) {
    m.begin(kA, false);
    std::function<int(int)> deep = [&](int n) {
      volatile char pad[4096] = {};
      return pad[0] + deep(n + 1) + 1;
    };
    (void)deep(0);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  auto marks = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(marks);
  EXPECT_EQ((*marks)->verdict(kA), CrashMarks::Verdict::kPoisoned);
}

// SIGKILL (the OOM killer, kill -9) cannot be caught: the messages in flight become suspects,
// read alone next time; dying again alone poisons, going through clears.
TEST_F(CrashMarksTest, AKillMakesSuspectsThenAloneDecides) {
  int status = in_child([](CrashMarks& m) {
    m.begin(kA, false);
    m.begin(kB, false);  // same thread: the slot now holds B only
    std::raise(SIGKILL);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  {
    auto marks = CrashMarks::open(dir_, ledger_);
    ASSERT_TRUE(marks);
    EXPECT_EQ((*marks)->verdict(kA), CrashMarks::Verdict::kClean);
    EXPECT_EQ((*marks)->verdict(kB), CrashMarks::Verdict::kSuspect);
  }
  status = in_child([](CrashMarks& m) {
    m.begin(kB, true);
    std::raise(SIGKILL);
  });
  auto marks = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(marks);
  EXPECT_EQ((*marks)->verdict(kB), CrashMarks::Verdict::kPoisoned);
  // Settled (quarantined): forgotten by the runs after.
  (*marks)->resolved(kB);
  ASSERT_TRUE((*marks)->finish());
  marks->reset();
  auto later = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(later);
  EXPECT_EQ((*later)->verdict(kB), CrashMarks::Verdict::kClean);
}

// A run that is alive keeps its marks: a second run started meanwhile does not take them.
TEST_F(CrashMarksTest, ALiveRunsMarksAreNotTaken) {
  auto first = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(first);
  (*first)->begin(kA, false);
  auto second = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)->verdict(kA), CrashMarks::Verdict::kClean);
  (*first)->end();
}

// The verdicts live in the ledger (the centre's database), so a run on another machine (another
// marks folder) sets the poison message aside too. A ledger that cannot be written loses
// nothing: the dead run's marks stay for the next run.
TEST_F(CrashMarksTest, VerdictsReachEveryMachineOnTheLedger) {
  const std::string other = dir_ + "-other-machine";
  fs::remove_all(other);
  const int status = in_child([](CrashMarks& m) {
    m.begin(kA, false);
    std::raise(SIGSEGV);
  });
  ASSERT_TRUE(WIFSIGNALED(status));
  ledger_.broken = true;
  EXPECT_FALSE(CrashMarks::open(dir_, ledger_)) << "a ledger that fails fails the run";
  ledger_.broken = false;
  ASSERT_TRUE(CrashMarks::open(dir_, ledger_)) << "the marks were kept and are taken now";
  auto elsewhere = CrashMarks::open(other, ledger_);
  ASSERT_TRUE(elsewhere);
  EXPECT_EQ((*elsewhere)->verdict(kA), CrashMarks::Verdict::kPoisoned);
  EXPECT_NE(ledger_.text.find(kA + " 1 1 "), std::string::npos) << ledger_.text;
  fs::remove_all(other);
}

// Verdicts a release before this one kept in `<dir>/suspects` move into the ledger.
TEST_F(CrashMarksTest, AnOldSuspectsFileMovesIntoTheLedger) {
  fs::create_directories(dir_);
  std::ofstream(dir_ + "/suspects") << kB << " 1 0 \n";
  auto marks = CrashMarks::open(dir_, ledger_);
  ASSERT_TRUE(marks);
  EXPECT_EQ((*marks)->verdict(kB), CrashMarks::Verdict::kSuspect);
  EXPECT_FALSE(fs::exists(dir_ + "/suspects"));
  EXPECT_EQ(ledger_.text, kB + " 1 0 \n");
}

}  // namespace
}  // namespace kz::triage
