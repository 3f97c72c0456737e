#include "core/text.h"

#include <gtest/gtest.h>

namespace kz {

TEST(Text, CaseInsensitiveSearchLeavesUtf8Alone) {
  EXPECT_EQ(ifind("Port SCAN detected", "scan"), 5u);
  EXPECT_EQ(ifind("フィッシング Phishing", "PHISHING"), 19u);
  EXPECT_EQ(to_lower_ascii("ÄBC"), "Äbc");
}

TEST(Text, SanitizeReplacesInvalidUtf8) {
  EXPECT_EQ(sanitize_utf8("ok"), "ok");
  EXPECT_EQ(sanitize_utf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(sanitize_utf8("日本"), "日本");
  EXPECT_EQ(sanitize_utf8(std::string("x\0y", 3)), "x\xEF\xBF\xBDy");
  EXPECT_EQ(sanitize_utf8("\xE6\x97"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "a sequence cut short";
  EXPECT_EQ(sanitize_utf8("end\xC3"), "end\xEF\xBF\xBD");
}

TEST(Text, Utf8PrefixNeverSplitsACharacter) {
  EXPECT_EQ(utf8_prefix("日本語", 4), "日");
  EXPECT_EQ(utf8_prefix("日本語", 6), "日本");
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
}

TEST(Text, SplitLinesAcceptsCrLf) {
  auto lines = split_lines("a\r\nb\nc");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "b");
}

}  // namespace kz
