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
