#include "triage/keyword_set.h"

#include <gtest/gtest.h>

namespace kz::triage {

TEST(KeywordSet, FindsEveryKeywordOnceInOnePassWhateverTheCase) {
  KeywordSet set;
  const size_t phishing = set.add("Phishing");
  const size_t shing = set.add("shing");
  const size_t scan = set.add("ポートスキャン");
  const size_t brute = set.add("brute force");
  const size_t absent = set.add("defacement");
  set.build();
  std::vector<bool> hits;
  set.match("Report: PHISHING site; ポートスキャン also seen.", hits);
  ASSERT_EQ(hits.size(), set.size());
  EXPECT_TRUE(hits[phishing]);
  EXPECT_TRUE(hits[shing]) << "a keyword inside another one";
  EXPECT_TRUE(hits[scan]);
  EXPECT_FALSE(hits[brute]);
  EXPECT_FALSE(hits[absent]);
  set.match("Brute Force against sshd", hits);
  EXPECT_TRUE(hits[brute]);
  EXPECT_FALSE(hits[phishing]);
}

TEST(KeywordSet, LastMatchEndIsOnePastTheLastOccurrence) {
  KeywordSet set;
  set.add("regards");
  set.add("よろしく");
  set.build();
  EXPECT_EQ(set.last_match_end("no match here"), -1);
  const std::string text = "Regards, A\nよろしくお願いします";
  EXPECT_EQ(set.last_match_end(text), static_cast<long>(text.find("お願い")));
  KeywordSet empty;
  empty.build();
  std::vector<bool> hits;
  empty.match("anything", hits);
  EXPECT_TRUE(hits.empty());
  EXPECT_EQ(empty.last_match_end("anything"), -1);
}

}  // namespace kz::triage
