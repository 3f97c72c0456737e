#include "intake/mime.h"

#include <gtest/gtest.h>

#include "intake/mailbox.h"

namespace kz::intake {

namespace {

ParsedMessage parse_fixture(const std::string& name) {
  auto raw = read_file(std::string(KZ_SOURCE_DIR) + "/src/intake/testdata/" + name);
  EXPECT_TRUE(raw) << name;
  auto m = parse_email(*raw, MimeOptions{});
  EXPECT_TRUE(m) << m.error().to_string();
  return *m;
}

std::string all_text(const ParsedMessage& m) {
  std::string s;
  for (const auto& p : m.parts) s += p.origin + ": " + p.text + "\n";
  return s;
}

}  // namespace

TEST(Mime, DecodesIso2022JpShiftJisAndZippedLogs) {
  const ParsedMessage m = parse_fixture("japanese_multipart.eml");
  EXPECT_EQ(m.subject, "ポートスキャンの報告");
  EXPECT_EQ(m.from_address, "soc@reporter.ne.jp");
  EXPECT_EQ(m.message_id, "jp-1@reporter.ne.jp");
  ASSERT_TRUE(m.received);
  EXPECT_EQ(format_utc(*m.received), "2008-04-15T01:22:33Z") << "the centre's own Received header";
  const std::string text = all_text(m);
  EXPECT_NE(text.find("当社のサーバ (192.0.2.10)"), std::string::npos) << text;
  EXPECT_NE(text.find("メモ：攻撃元は 198.51.100.23"), std::string::npos) << "Shift_JIS attachment";
  EXPECT_NE(text.find("zip:logs.zip/auth.log: Apr 15 03:12:44 www sshd"), std::string::npos)
      << text;
  // Relay addresses are collected so that triage can ignore them.
  EXPECT_EQ(m.relay_ips, (std::vector<std::string>{"203.0.113.77", "192.0.2.99"}));
}

TEST(Mime, DecodesEucJpQuotedPrintable) {
  const ParsedMessage m = parse_fixture("eucjp_qp.eml");
  EXPECT_NE(all_text(m).find("フィッシングサイトの報告です。"), std::string::npos) << all_text(m);
}

TEST(Mime, DescendsIntoForwardedMessages) {
  const ParsedMessage m = parse_fixture("forwarded.eml");
  const std::string text = all_text(m);
  EXPECT_NE(text.find("forwarded:body: Grüße, brute force from 198.51.100.99"), std::string::npos)
      << text;
  EXPECT_NE(text.find("Subject: brute force from 198.51.100.99"), std::string::npos) << text;
  EXPECT_FALSE(m.received) << "no Received header: the caller falls back";
}

TEST(Mime, RejectsWhatIsNotAMessageButNeverCrashes) {
  EXPECT_FALSE(parse_email("", MimeOptions{}));
  EXPECT_FALSE(parse_email("\x89PNG\r\n\x1a\n", MimeOptions{}));
  auto m = parse_email("Subject: x\n\n--no multipart", MimeOptions{});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->subject, "x");
}

TEST(Mime, MessageOverTheLimitIsRefusedWithTheLimitNamed) {
  MimeOptions opt;
  opt.limits.max_message_bytes = 10;
  auto m = parse_email("Subject: too long for the limit\n\nbody", opt);
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("max_message_bytes"), std::string::npos);
}

TEST(Charset, GuessesLegacyJapaneseEncodings) {
  EXPECT_EQ(to_utf8("\x83\x65\x83\x58\x83\x67", ""), "テスト") << "Shift_JIS";
  EXPECT_EQ(to_utf8("\x1b$B%F%9%H\x1b(B", ""), "テスト") << "ISO-2022-JP";
  EXPECT_EQ(to_utf8("caf\xe9", "iso-8859-1"), "café");
  EXPECT_EQ(to_utf8("abc", "no-such-charset"), "abc");
}

// 7-bit text skips conversion in ASCII-compatible charsets: the answer must be what converting
// gives, and 7-bit ISO-2022-JP (ESC shifts) and NULs must still take the long way.
TEST(Charset, SevenBitTextIsTheSameInEveryAsciiCompatibleCharset) {
  const std::string text = "Subject line: 192.0.2.1 ~ \\ hxxp://example[.]jp/\tend";
  for (const char* cs : {"", "us-ascii", "UTF-8", "iso-8859-1", "ISO-2022-JP", "shift_jis", "cp932",
                         "euc-jp", "windows-1252", "utf-16"}) {
    if (std::string_view(cs) == "utf-16") {
      EXPECT_NE(to_utf8(text, cs), text) << "UTF-16 is not ASCII-compatible: it is converted";
      continue;
    }
    EXPECT_EQ(to_utf8(text, cs), text) << cs;
  }
  EXPECT_EQ(to_utf8("\x1b$B%F%9%H\x1b(B", "iso-2022-jp"), "テスト");
  EXPECT_EQ(to_utf8(std::string("a\0b", 3), "utf-8"),
            "a\xEF\xBF\xBD"
            "b");
  // The 7-bit check reads eight bytes at a time: a byte that needs work is seen at any offset.
  for (size_t at = 0; at < 21; ++at) {
    std::string t(21, 'x');
    t[at] = '\xE9';
    EXPECT_EQ(to_utf8(t, "iso-8859-1"), std::string(at, 'x') + "é" + std::string(20 - at, 'x'))
        << at;
    t[at] = '\0';
    EXPECT_EQ(to_utf8(t, "utf-8"),
              std::string(at, 'x') + "\xEF\xBF\xBD" + std::string(20 - at, 'x'))
        << at;
  }
}

}  // namespace kz::intake
