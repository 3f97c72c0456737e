#include "intake/mailbox.h"

#include <gtest/gtest.h>

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
  walk_inputs({dir, dir + "/missing.eml"}, [&](InputItem&& i) { seen.push_back(i.source); return true; },
              [&](const std::string& s, const std::string& p) { problems.push_back(s + ": " + p); });
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
  const size_t n = walk_inputs({dir, dir + "/missing.eml"},
                               [&](InputItem&& i) {
                                 seen.push_back(i.source);
                                 return false;
                               },
                               [&](const std::string&, const std::string&) { ADD_FAILURE() << "walked on"; });
  EXPECT_EQ(n, 1u);
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace kz::intake
