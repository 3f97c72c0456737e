#include "intake/mailbox.h"

#include "core/sha256.h"

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
  auto split = split_mbox(mbox, "box");
  ASSERT_TRUE(split);
  const auto& items = *split;
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].source, "box#1");
  EXPECT_EQ(items[0].bytes, "Subject: one\n\nFrom our logs:\nFrom here\n");
  ASSERT_TRUE(items[1].mbox_time);
  EXPECT_EQ(format_utc(*items[1].mbox_time), "2008-04-16T02:00:00Z");
}

TEST(Mailbox, AFileWithoutSeparatorIsOneMessage) {
  auto items = split_mbox("Subject: x\n\nbody\n", "m.eml");
  ASSERT_TRUE(items);
  ASSERT_EQ(items->size(), 1u);
  EXPECT_FALSE((*items)[0].mbox_time);
}

// Feeds `data` to a splitter in pieces of `piece` bytes.
std::vector<InputItem> split_in_pieces(std::string_view data, size_t piece,
                                       const ReadOptions& options = {}) {
  std::vector<InputItem> out;
  MboxSplitter splitter("box", data.starts_with("From "), false, options, [&](InputItem&& item) {
    out.push_back(std::move(item));
    return true;
  });
  for (size_t at = 0; at < data.size(); at += piece)
    EXPECT_TRUE(splitter.feed(data.substr(at, piece)));
  EXPECT_TRUE(splitter.end());
  return out;
}

TEST(Mailbox, AStreamSplitsTheSameWhateverThePieces) {
  // Separators, an escaped ">>From " line, a "From " line that is no separator, an empty
  // message and a message without a final line break: the messages as written by hand.
  const std::string mbox =
      "From a@example.org Tue Apr 15 01:22:33 2008\nSubject: one\n\n>>From x\nFrom our logs\n\n"
      "From b@example.org Wed Apr 16 02:00:00 2008\n\n"
      "From c@example.org Wed Apr 16 03:00:00 2008\nSubject: three\n\nno break at the end";
  const std::vector<std::pair<std::string, std::string>> want = {
      {"box#1", "Subject: one\n\n>From x\nFrom our logs\n"},
      {"box#3", "Subject: three\n\nno break at the end"}};
  for (size_t piece = 1; piece <= mbox.size(); ++piece) {
    const auto items = split_in_pieces(mbox, piece);
    ASSERT_EQ(items.size(), want.size()) << "pieces of " << piece;
    for (size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ(items[i].source, want[i].first) << "pieces of " << piece;
      EXPECT_EQ(items[i].bytes, want[i].second) << "pieces of " << piece;
      EXPECT_EQ(items[i].sha256, sha256_hex(want[i].second));
      EXPECT_FALSE(items[i].spill);
    }
  }
}

TEST(Mailbox, AnMboxOfOneMessageIsNamedAfterTheFile) {
  const auto items =
      split_in_pieces("From a@example.org Tue Apr 15 01:22:33 2008\nSubject: x\n\nhi\n", 7);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].source, "box");
  EXPECT_EQ(items[0].bytes, "Subject: x\n\nhi\n");
}

TEST(Mailbox, LinesLongerThanAnySeparatorAreNotHeldWhole) {
  // A 1 MB line in a body, and a separator line of 200 KB (it cannot parse as a date, but the
  // first line of an mbox is its separator all the same): the bytes come through unchanged.
  const std::string body_line(1 << 20, 'x');
  const std::string mbox = "From " + std::string(200'000, 'y') + "\nSubject: a\n\n" + body_line +
                           "\nFrom b@example.org Wed Apr 16 02:00:00 2008\nSubject: b\n\nB\n";
  for (size_t piece : {size_t{4096}, size_t{100'000}, mbox.size()}) {
    const auto items = split_in_pieces(mbox, piece);
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(items[0].bytes, "Subject: a\n\n" + body_line + "\n");
    EXPECT_FALSE(items[0].mbox_time);
    EXPECT_EQ(items[1].bytes, "Subject: b\n\nB\n");
  }
}

TEST(Mailbox, WhatIsBeyondTheMemoryShareIsSpilledAndBeyondTheLimitIsCut) {
  ReadOptions options;
  options.max_memory_bytes = 100;
  options.max_raw_bytes = 1000;
  const std::string small = "Subject: s\n\nsmall\n";
  std::string large = "Subject: l\n\n";
  while (large.size() < 700) large += "0123456789abcdef\n";
  std::string huge = "Subject: h\n\n";
  while (huge.size() < 5000) huge += "0123456789abcdef\n";
  const std::string sep = "From a@example.org Tue Apr 15 01:22:33 2008\n";
  const auto items =
      split_in_pieces(sep + small + "\n" + sep + large + "\n" + sep + huge, 333, options);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].bytes, small);
  EXPECT_FALSE(items[0].spill);
  // In memory the first 100 bytes, on disk the rest; the hash is of all of them.
  EXPECT_EQ(items[1].bytes, large.substr(0, 100));
  ASSERT_TRUE(items[1].spill);
  EXPECT_EQ(items[1].size(), large.size());
  std::string tail(large.size() - 100, '\0');
  auto got = items[1].spill->read_at(0, tail.data(), tail.size());
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, tail.size());
  EXPECT_EQ(tail, large.substr(100));
  EXPECT_EQ(items[1].sha256, sha256_hex(large));
  EXPECT_FALSE(items[1].cut_at_limit);
  // The first 1000 bytes kept, the rest read past; its neighbour before it is whole.
  EXPECT_TRUE(items[2].cut_at_limit);
  EXPECT_EQ(items[2].size(), 1000u);
  EXPECT_EQ(items[2].sha256, sha256_hex(huge.substr(0, 1000)));
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
