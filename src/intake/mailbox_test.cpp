#include "intake/mailbox.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace kz::intake {

TEST(Mailbox, SplitsMboxAndUnescapesFromLines) {
  const std::string mbox =
      "From a@example.org Tue Apr 15 01:22:33 2008\nSubject: one\n\nFrom our logs:\n>From here\n\n"
      "From b@example.org Wed Apr 16 02:00:00 2008\nSubject: two\n\nbody\n";
  auto items = split_mbox(mbox, "box");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].source, "box#1");
  EXPECT_EQ(items[0].bytes, "Subject: one\n\nFrom our logs:\nFrom here\n");
  ASSERT_TRUE(items[1].mbox_time);
  EXPECT_EQ(format_utc(*items[1].mbox_time), "2008-04-16T02:00:00Z");
}

TEST(Mailbox, AFileWithoutSeparatorIsOneMessage) {
  auto items = split_mbox("Subject: x\n\nbody\n", "m.eml");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].mbox_time);
}

TEST(Mailbox, WalksTheCorpusDirectoryInStableOrder) {
  const std::string dir = std::string(KZ_SOURCE_DIR) + "/src/intake/testdata";
  std::vector<std::string> seen;
  std::vector<std::string> problems;
  walk_inputs(
      {dir, dir + "/missing.eml"},
      [&](InputItem&& i) {
        seen.push_back(i.source);
        return true;
      },
      [&](const std::string& s, const std::string& p, ProblemKind) {
        problems.push_back(s + ": " + p);
      });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_TRUE(seen[0].ends_with("eucjp_qp.eml"));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("no such file"), std::string::npos);
}

// The sink says stop (the store failed): nothing more is read or handed over, in an mbox or
// between files.
TEST(Mailbox, StopsWhenTheSinkSaysSo) {
  const std::string dir = std::string(KZ_SOURCE_DIR) + "/src/intake/testdata";
  std::vector<std::string> seen;
  const size_t n = walk_inputs(
      {dir, dir + "/missing.eml"},
      [&](InputItem&& i) {
        seen.push_back(i.source);
        return false;
      },
      [&](const std::string&, const std::string&, ProblemKind) { ADD_FAILURE() << "walked on"; });
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(seen.size(), 1u);
}

// A tree an attacker could lay out (newcomer report items 27-34): links out of the tree, link
// loops (one, three, and one above the tree), a link to /dev/zero, a FIFO, a hard link. The walk
// reads each file in the tree once, nothing outside it, and never blocks.
TEST(Mailbox, WalkStaysInItsTreeAndVisitsEachFileOnce) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("kz_walk_" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "tree/a/b");
  fs::create_directories(base / "outside");
  std::ofstream(base / "outside/canary.eml") << "Subject: canary\n\nCANARY\n";
  std::ofstream(base / "tree/a/one.eml") << "Subject: one\n\nbody\n";
  std::ofstream(base / "tree/a/b/two.eml") << "Subject: two\n\nbody\n";
  fs::create_hard_link(base / "tree/a/one.eml", base / "tree/a/b/one-again.eml");
  fs::create_symlink("../outside", base / "tree/escape-dir");
  fs::create_symlink(base / "outside/canary.eml", base / "tree/escape-file");
  fs::create_symlink("/etc", base / "tree/etc");
  for (const char* up : {"up1", "up2", "up3"}) fs::create_symlink("..", base / "tree/a" / up);
  fs::create_symlink("../../..", base / "tree/a/b/above");        // the folder holding the tree
  fs::create_symlink("b/two.eml", base / "tree/a/two-link.eml");  // inside: same file, once
  fs::create_symlink("/dev/zero", base / "tree/zero");
  fs::create_symlink("nowhere", base / "tree/dangling");
  ASSERT_EQ(::mkfifo((base / "tree/a/fifo").c_str(), 0600), 0);

  std::vector<std::string> seen, skipped, unreadable;
  walk_inputs(
      {(base / "tree").string(), (base / "tree/a/one.eml").string()},
      [&](InputItem&& i) {
        seen.push_back(i.bytes);
        return true;
      },
      [&](const std::string& s, const std::string& p, ProblemKind k) {
        (k == ProblemKind::kSkipped ? skipped : unreadable).push_back(s + ": " + p);
      });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"Subject: one\n\nbody\n", "Subject: two\n\nbody\n"}));
  EXPECT_TRUE(unreadable.empty()) << unreadable.front();
  // Skipped and said so: the three links out, the one above, /dev/zero, the dangling link, the
  // FIFO.
  EXPECT_EQ(skipped.size(), 7u);
  for (const auto& s : skipped) EXPECT_EQ(s.find("CANARY"), std::string::npos);
  fs::remove_all(base);
}

}  // namespace kz::intake
