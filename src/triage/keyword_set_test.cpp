#include "triage/keyword_set.h"

#include <gtest/gtest.h>

#include <random>

#include "core/text.h"

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

// Long texts are walked in four overlapping pieces at once: a keyword must be found wherever it
// lies, across every cut, exactly as a plain search finds it.
TEST(KeywordSet, LongTextsFindTheSameKeywordsAsAPlainSearchWhereverTheyLie) {
  const std::vector<std::string> words = {
      "phishing",  "ウェブアプリケーションの脆弱性", "ssh", "brute force", "a", "port scan",
      "defacement"};
  KeywordSet set;
  for (const auto& w : words) set.add(w);
  set.build();
  std::mt19937 rng(7);
  const std::string alphabet = "bcdefghijklmnopqrtuvwxyz0123456789 .:-\n";
  std::vector<bool> hits;
  for (size_t n : {0, 1, 300, 500, 700, 1000, 1001, 1002, 1003, 4096, 10007}) {
    for (int round = 0; round < 20; ++round) {
      std::string text;
      for (size_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
      // Plant up to three words (upper-cased sometimes), often across a quarter boundary.
      for (int k = 0; k < 3 && n > 60; ++k) {
        std::string w = words[rng() % words.size()];
        if (w == "a") continue;
        if (rng() % 2) {
          for (auto& c : w) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        }
        const size_t quarter = (n / 4) * (1 + rng() % 3);
        const size_t at =
            std::min(n - w.size(), quarter - std::min(quarter, rng() % (w.size() + 2)));
        text.replace(at, w.size(), w);
      }
      set.match(text, hits);
      const std::string lower = to_lower_ascii(text);
      for (size_t k = 0; k < words.size(); ++k) {
        EXPECT_EQ(hits[k], lower.find(words[k]) != std::string::npos)
            << "'" << words[k] << "' in a text of " << n << " bytes, round " << round;
      }
    }
  }
}

}  // namespace kz::triage
