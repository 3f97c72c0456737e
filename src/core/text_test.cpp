#include "core/text.h"

#include <gtest/gtest.h>

#include <random>

namespace kz {

TEST(Text, CaseInsensitiveSearchLeavesUtf8Alone) {
  EXPECT_EQ(ifind("Port SCAN detected", "scan"), 5u);
  EXPECT_EQ(ifind("フィッシング Phishing", "PHISHING"), 19u);
  EXPECT_EQ(to_lower_ascii("ÄBC"), "Äbc");
}

// ifind jumps between candidates with memchr: it must find exactly what a byte-by-byte search
// finds, from any start, at the very end, and when the needle starts with a non-letter.
TEST(Text, CaseInsensitiveSearchMatchesAPlainSearchEverywhere) {
  EXPECT_EQ(ifind("abc", "C"), 2u);
  EXPECT_EQ(ifind("abc", "abcd"), std::string_view::npos);
  EXPECT_EQ(ifind("xx-Report-Type:", "report-type:"), 3u);
  EXPECT_EQ(ifind("a.b.c", ".c"), 3u);
  EXPECT_EQ(ifind("aAa", "a", 1), 1u);
  EXPECT_EQ(ifind("aAa", "a", 3), std::string_view::npos);
  EXPECT_EQ(ifind("aAa", "", 3), 3u);
  std::mt19937 rng(3);
  const std::string alphabet = "aAbB-:";
  for (int round = 0; round < 2000; ++round) {
    std::string hay(rng() % 40, ' ');
    for (char& c : hay) c = alphabet[rng() % alphabet.size()];
    std::string needle(1 + rng() % 4, ' ');
    for (char& c : needle) c = alphabet[rng() % alphabet.size()];
    const size_t from = rng() % (hay.size() + 1);
    const std::string lh = to_lower_ascii(hay);
    const std::string ln = to_lower_ascii(needle);
    EXPECT_EQ(ifind(hay, needle, from), std::string_view(lh).find(ln, from))
        << "'" << needle << "' in '" << hay << "' from " << from;
  }
}

TEST(Text, TrimRemovesWhiteSpaceAtBothEndsOnly) {
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" \t\r\n\f\v"), "");
  EXPECT_EQ(trim("  a b\t"), "a b");
  EXPECT_EQ(trim("\nx"), "x");
  EXPECT_EQ(trim("x\r\n"), "x");
  EXPECT_EQ(trim("\xE3\x80\x80x"), "\xE3\x80\x80x")
      << "an ideographic space is text, not ASCII white space";
}

TEST(Text, SanitizeReplacesInvalidUtf8) {
  EXPECT_EQ(sanitize_utf8("ok"), "ok");
  EXPECT_EQ(sanitize_utf8("a\xff"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(sanitize_utf8("日本"), "日本");
  EXPECT_EQ(sanitize_utf8(std::string("x\0y", 3)), "x\xEF\xBF\xBDy");
  EXPECT_EQ(sanitize_utf8("\xE6\x97"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "a sequence cut short";
  EXPECT_EQ(sanitize_utf8("end\xC3"), "end\xEF\xBF\xBD");
  // Well-formed means Unicode Table 3-7: PostgreSQL refuses the rest in a text column.
  EXPECT_EQ(sanitize_utf8("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD") << "overlong '/'";
  EXPECT_EQ(sanitize_utf8("\xE0\x80\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "overlong '/' in three bytes";
  EXPECT_EQ(sanitize_utf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD")
      << "a UTF-16 surrogate";
  EXPECT_EQ(sanitize_utf8("\xF4\x90\x80\x80").size(), 12u) << "above U+10FFFF";
  EXPECT_EQ(sanitize_utf8("\xF4\x8F\xBF\xBF"), "\xF4\x8F\xBF\xBF") << "U+10FFFF itself";
  EXPECT_EQ(sanitize_utf8("\xED\x9F\xBF"), "\xED\x9F\xBF") << "U+D7FF, just below";
}

TEST(Text, FirstInvalidUtf8NamesTheOffset) {
  EXPECT_EQ(first_invalid_utf8("日本語 ok"), std::string_view::npos);
  EXPECT_EQ(first_invalid_utf8(std::string("a\0b", 3)), std::string_view::npos)
      << "NUL is UTF-8; sanitize_utf8 replaces it for other reasons";
  EXPECT_EQ(first_invalid_utf8("ab\xff"), 2u);
  EXPECT_EQ(first_invalid_utf8("日\xE6\x97"), 3u) << "a character cut short";
  EXPECT_EQ(first_invalid_utf8("x\xED\xB0\x80"), 1u);
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

// Newcomer report items 20-21: an encoded Subject decoding to CRLF, ANSI/OSC escapes, BS, CR.
TEST(Text, OneLineLeavesNoLineBreakOrControl) {
  EXPECT_EQ(one_line("Phishing\r\n\r\nURGENT: log in"), "Phishing    URGENT: log in");
  EXPECT_EQ(one_line("a\x1b[2Jb\bc\x7f"), "a [2Jb c ");
  EXPECT_EQ(one_line("x\xc2\x85y\xe2\x80\xa8z\xe2\x80\xaew"), "x y z w");  // NEL, LS, RLO
  EXPECT_EQ(one_line("日本語 ok"), "日本語 ok");
}

TEST(Text, TerminalSafeKeepsEscapesVisible) {
  EXPECT_EQ(terminal_safe("a\x1b]0;t\x07\r\n", true), "a\\x1b]0;t\\x07\\x0d\n");
  EXPECT_EQ(terminal_safe("a\nb", false), "a\\x0ab");
  EXPECT_EQ(terminal_safe("\xe2\x80\xae"
                          "evil",
                          true),
            "\\u202eevil");
  EXPECT_EQ(terminal_safe("\xc2\x9b"
                          "31m",
                          true),
            "\\u009b31m");
  EXPECT_EQ(terminal_safe("詐欺\t銀行", true), "詐欺\t銀行");
}

TEST(Text, FoldForSearchMatchesHoweverLettersWereTyped) {
  // Expectations written from the Unicode tables: U+FF30 is FULLWIDTH LATIN CAPITAL LETTER P,
  // U+FF41 FULLWIDTH LATIN SMALL LETTER A, U+FF11 FULLWIDTH DIGIT ONE, U+3000 IDEOGRAPHIC SPACE.
  EXPECT_EQ(fold_for_search("PayPal"), "paypal");
  EXPECT_EQ(fold_for_search("\xEF\xBC\xB0\xEF\xBD\x81y"), "pay");  // Ｐａy
  EXPECT_EQ(fold_for_search("\xEF\xBC\x91\xE3\x80\x80X"), "1 x");  // １　X
  // Kana, kanji and the full-width forms outside U+FF01..U+FF5E are kept as written.
  EXPECT_EQ(fold_for_search("詐欺メール"), "詐欺メール");
  EXPECT_EQ(fold_for_search("\xEF\xBD\xA1"),
            "\xEF\xBD\xA1");  // U+FF61 HALFWIDTH IDEOGRAPHIC FULL STOP
  // A cut sequence at the end stays as it was.
  EXPECT_EQ(fold_for_search("A\xEF\xBC"), "a\xEF\xBC");
  EXPECT_EQ(utf8_length("詐欺"), 2u);
  EXPECT_EQ(utf8_length("ab詐"), 3u);
}

}  // namespace kz
