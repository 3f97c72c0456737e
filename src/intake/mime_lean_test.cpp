// The lean MIME reader must read every message it takes exactly as gmime does, and leave to
// gmime what it cannot (OpenPGP, CRLF, RFC 2231, encoded file names, unusual structure).
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include "core/text.h"
#include "intake/mailbox.h"
#include "intake/mime.h"
#include "intake/mime_parts.h"

namespace kz::intake {

namespace {

namespace fs = std::filesystem;

MimeOptions reader(bool lean) {
  MimeOptions o;
  o.openpgp = false;
  o.lean = lean;
  return o;
}

// "" when both readers agree; otherwise what differs.
std::string compare(const std::string& raw) {
  auto g = parse_email(raw, reader(false));
  auto l = parse_email(raw, reader(true));
  if (g.has_value() != l.has_value()) return "one reader refused the message";
  return g ? first_difference(*g, *l) : "";
}

bool lean_takes(const std::string& raw) {
  ParsedMessage out;
  return detail::parse_lean(raw, reader(true), out);
}

// The lean reading of a message the lean reader must take and gmime must read the same way.
std::optional<ParsedMessage> read_by_both(const std::string& raw) {
  EXPECT_TRUE(lean_takes(raw));
  EXPECT_EQ(compare(raw), "");
  auto m = parse_email(raw, reader(true));
  if (!m) return std::nullopt;
  return *m;
}

const char* kHead =
    "Received: from mail.reporter.example (mail.reporter.example [198.51.100.7])\n"
    "\tby mx.centre.example.jp (Postfix) with ESMTP id 1A2B3C\n"
    "\tfor <incident@centre.example.jp>; Tue,  1 Apr 2008 10:00:00 +0900 (JST)\n"
    "Message-ID: <r1@reporter.example>\n"
    "In-Reply-To: <n1@centre.example.jp>\n"
    "References: <n0@centre.example.jp>\n"
    "\t<n1@centre.example.jp>\n"
    "Date: Tue, 01 Apr 2008 09:59:00 +0800\n"
    "MIME-Version: 1.0\n";

}  // namespace

TEST(LeanMime, ReadsEncodedHeadersAndPlainTextLikeGmime) {
  const std::string raw =
      std::string(kHead) +
      "From: =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <Soc@Reporter.example>\n"
      "Subject: =?UTF-8?B?44Od44O844OI44K544Kt44Oj44Oz?=\n =?UTF-8?Q?_from_192.0.2.1?=\n"
      "Content-Type: text/plain; charset=\"iso-2022-jp\"\n\n"
      "\x1b$B%]!<%H%9%-%c%s\x1b(B 192.0.2.1\n";
  auto m = read_by_both(raw);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->subject, "ポートスキャン from 192.0.2.1");
  EXPECT_EQ(m->from_address, "soc@reporter.example");
  EXPECT_EQ(m->refs, (std::vector<std::string>{"n1@centre.example.jp", "n0@centre.example.jp"}));
  ASSERT_EQ(m->parts.size(), 1u);
  EXPECT_EQ(m->parts[0].text, "ポートスキャン 192.0.2.1\n");
  EXPECT_EQ(m->relay_ips, std::vector<std::string>{"198.51.100.7"});
}

TEST(LeanMime, ReadsMultipartsTransferEncodingsAndForwardedMessagesLikeGmime) {
  const std::string raw = std::string(kHead) +
                          "From: \"Abuse Desk, Example\" <abuse@reporter.example>\n"
                          "Subject: phishing\n"
                          "Content-Type: multipart/mixed; boundary=\"Boundary_(ID 1)\"\n\n"
                          "preamble\n"
                          "--Boundary_(ID 1)\n"
                          "Content-Type: multipart/alternative; boundary=alt\n\n"
                          "--alt\n"
                          "Content-Type: text/plain; charset=utf-8\n"
                          "Content-Transfer-Encoding: quoted-printable\n\n"
                          "Phishing at hxxp://bank[.]example/login =E2=80=94 please=\n act\n"
                          "--alt\n"
                          "Content-Type: text/html; charset=utf-8\n\n"
                          "<p>Phishing at <b>hxxp://bank[.]example/login</b></p>\n"
                          "--alt--\n"
                          "--Boundary_(ID 1)\n"
                          "Content-Type: text/plain; name=\"access.log\"\n"
                          "Content-Transfer-Encoding: base64\n"
                          "Content-Disposition: attachment; filename=access.log\n\n"
                          "MjAzLjAuMTEzLjkgLSAtIFswMS9BcHIvMjAwODoxMDowMDowMCArMDkwMF0gIkdFVCAv\nIE"
                          "hUVFAvMS4xIiAyMDAgMTIz\n"
                          "--Boundary_(ID 1)\n"
                          "Content-Type: message/rfc822\n\n"
                          "From: Original Sender <victim@example.org>\n"
                          "Subject: =?UTF-8?B?5YWD44Gu44Oh44O844Or?=\n\n"
                          "The original lure.\n"
                          "--Boundary_(ID 1)\n"
                          "Content-Type: image/png; name=shot.png\n"
                          "Content-Transfer-Encoding: base64\n\n"
                          "iVBORw0KGgo=\n"
                          "--Boundary_(ID 1)--\n"
                          "epilogue\n";
  auto m = read_by_both(raw);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->parts.size(), 5u);
  EXPECT_EQ(m->parts[2].origin, "attachment:access.log");
  EXPECT_EQ(m->parts[3].origin, "forwarded:headers");
  EXPECT_EQ(m->from_name, "Abuse Desk, Example");
}

TEST(LeanMime, ReadsArfReportsLikeGmime) {
  const std::string raw =
      std::string(kHead) +
      "From: fbl@isp.example\nSubject: FW: spam\n"
      "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\n\n"
      "--b\nContent-Type: text/plain\n\nThis is an abuse report.\n"
      "--b\nContent-Type: message/feedback-report\n\n"
      "Feedback-Type: abuse\nUser-Agent: fbl/1.0\nVersion: 1\nSource-IP: 192.0.2.55\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: spammer@bad.example\nSubject: buy\n\n"
      "Visit http://bad.example/\n"
      "--b--\n";
  EXPECT_TRUE(read_by_both(raw));
}

TEST(LeanMime, LeavesToGmimeWhatItDoesNotReadExactly) {
  const std::string body = "\nsome text\n";
  // CRLF line ends, RFC 2231 and encoded file names, signed and encrypted mail, inline OpenPGP,
  // a boundary another boundary starts with, a multipart that never closes.
  const std::vector<std::string> cases = {
      "From: a@b.example\r\nSubject: x\r\n\r\nbody\r\n",
      "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: text/plain; name*=utf-8''%E3%81%82.txt\n\nx\n--b--\n",
      "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: text/plain; name=\"=?UTF-8?B?44GC?=.txt\"\n\nx\n--b--\n",
      "From: a@b.example\nContent-Type: multipart/signed; boundary=b; "
      "protocol=\"application/pgp-signature\"\n\n"
      "--b\n\nsigned\n--b--\n",
      "From: a@b.example\nSubject: x\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nhi\n",
      "From: a@b.example\nContent-Type: multipart/mixed; "
      "boundary=b\n\n--b\n\none\n--bb\n\ntwo\n--b--\n",
      "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nnever closed\n",
      "From: a@b.example\nNot a header line\n" + body,
  };
  for (const auto& raw : cases) {
    MimeOptions with_pgp = reader(true);
    with_pgp.openpgp = true;
    ParsedMessage out;
    EXPECT_FALSE(detail::parse_lean(raw, with_pgp, out)) << raw;
    EXPECT_EQ(compare(raw), "") << raw;
  }
}

TEST(LeanMime, KeepsTheLimitsOfGmimeReader) {
  std::string raw = "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 30; ++i)
    raw += "--b\n\npart " + std::to_string(i) + " 192.0.2." + std::to_string(i) + "\n";
  raw += "--b--\n";
  MimeOptions g = reader(false);
  MimeOptions l = reader(true);
  g.limits.max_parts = l.limits.max_parts = 10;
  g.limits.max_text_bytes = l.limits.max_text_bytes = 40;
  ParsedMessage probe;
  ASSERT_TRUE(detail::parse_lean(raw, l, probe));
  auto a = parse_email(raw, g);
  auto b = parse_email(raw, l);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(first_difference(*a, *b), "");
  EXPECT_FALSE(b->problems.empty());
}

// Every real-world and fixture mail: the lean reader takes some and agrees wherever it does.
TEST(LeanMime, AgreesWithGmimeOnEveryCorpusMail) {
  std::vector<fs::path> roots = {fs::path(KZ_SOURCE_DIR) / "src/intake/testdata",
                                 fs::path(KZ_SOURCE_DIR) / "tests/integration/testdata"};
  const fs::path corpora = fs::path(KZ_SHARED_DIR) / "corpora";
  if (fs::exists(corpora)) roots.push_back(corpora / "abuse-mail");
  int mails = 0, taken = 0;
  for (const auto& root : roots) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.path().extension() != ".eml") continue;
      auto raw = read_file(e.path().string());
      ASSERT_TRUE(raw);
      auto items = split_mbox(*raw, e.path().string());
      ASSERT_TRUE(items);
      for (const auto& item : *items) {
        ++mails;
        if (lean_takes(item.bytes)) ++taken;
        EXPECT_EQ(compare(item.bytes), "") << item.source;
      }
    }
  }
  EXPECT_GT(mails, 10);
  EXPECT_GT(taken, 0) << "the lean reader took none of the corpus: the comparison proves nothing";
  std::printf("%d mails, %d read by the lean reader\n", mails, taken);
}

namespace {

// Header values to hold the shortcuts to gmime with: `values`, 2,000 generated from `pieces`,
// and every header of every corpus mail (outer and inner messages alike, unfolded by hand).
std::vector<std::string> header_values(std::vector<std::string> values,
                                       const std::vector<std::string>& pieces) {
  uint32_t seed = 12345;
  for (int n = 0; n < 2000; ++n) {
    std::string v;
    const int len = static_cast<int>(seed % 9);
    for (int k = 0; k < len; ++k) {
      seed = seed * 1103515245u + 12345u;
      v += pieces[(seed >> 16) % std::size(pieces)];
    }
    seed = seed * 1103515245u + 12345u;
    values.push_back(v + "\n");
  }
  const fs::path corpora = fs::path(KZ_SHARED_DIR) / "corpora" / "abuse-mail";
  for (const fs::path& root : {fs::path(KZ_SOURCE_DIR) / "src/intake/testdata", corpora}) {
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      auto raw = read_file(e.path().string());
      if (!raw) {
        ADD_FAILURE() << e.path();
        continue;
      }
      std::string current;
      for (const auto line : split_lines(*raw)) {
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
          current += std::string(line) + "\n";
          continue;
        }
        if (!current.empty()) values.push_back(current);
        const size_t colon = line.find(':');
        current = colon == std::string_view::npos ? "" : std::string(line.substr(colon + 1)) + "\n";
      }
    }
  }
  return values;
}

// Holds a shortcut to gmime's answer on every value the shortcut answers (`show` turns an
// answer into text to compare); returns how many it answered.
template <typename Lean, typename Gmime, typename Show>
int answered_alike(const std::vector<std::string>& values, Lean lean, Gmime gmime, Show show) {
  int taken = 0;
  for (const auto& v : values) {
    const auto mine = lean(v);
    if (!mine) continue;
    ++taken;
    const auto theirs = gmime(v);
    if (!theirs) {
      ADD_FAILURE() << "gmime has no answer for [" << v << "]";
      continue;
    }
    EXPECT_EQ(show(*mine), show(*theirs)) << "[" << v << "]";
  }
  return taken;
}

}  // namespace

// The ASCII shortcut of header_text must answer as gmime's utilities do: every header value of
// every corpus mail, and generated values with folding, tabs, runs of spaces and lone markers.
TEST(LeanMime, HeaderShortcutAnswersAsGmime) {
  const auto values = header_values(
      {"", " ", "\n", " plain\n", "  two  spaces \t\n", " folded\n\tline\n", " a\n  b \n",
       "x=y ?= =", " <id@example> (comment)\n", "\t\ttab\t\n", " trailing \n \n", " = ? a=?b\n"},
      {" ", "\t", "\n", "\n ", "\n\t", "a", "Re:", "=", "?", "(x)", "<m@x>", ",", ";", "  "});
  for (const auto& v : values)
    EXPECT_EQ(detail::header_text(v), detail::header_text_gmime(v)) << "[" << v << "]";
}

// The From shortcut answers as gmime's address parser wherever it answers at all, and it does
// answer for the forms reporters use.
TEST(LeanMime, MailboxShortcutAnswersAsGmime) {
  const std::vector<std::string> common = {
      " soc@alpha.ne.jp\n",
      " <abuse@example.com>\n",
      " Taro Yamada <Taro.Yamada@Example.CO.JP>\n",
      " CERT-RO <office@cert.ro>\n",
      " \"Abuse Desk, Example\" <abuse@example.net>\n",
      " =?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.co.jp>\n",
      " =?UTF-8?B?5bGx55Sw?= =?UTF-8?B?5aSq6YOO?= <t@example.jp>\n",
      " J. R. Doe <jrd@example.org>\n"};
  for (const auto& v : common) EXPECT_TRUE(detail::mailbox_lean(v)) << "[" << v << "]";
  auto values = header_values(common, {" ",
                                       "a",
                                       "B.c",
                                       "@",
                                       "<",
                                       ">",
                                       "\"",
                                       "x@y.jp",
                                       "Name",
                                       "=?UTF-8?B?5pel5pys?=",
                                       "=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?=",
                                       ".",
                                       "(c)",
                                       ",",
                                       "  ",
                                       "\n ",
                                       ":",
                                       ";",
                                       "\\",
                                       "=?x?q?a_b?="});
  EXPECT_GT(answered_alike(values, detail::mailbox_lean, detail::mailbox_gmime,
                           [](const auto& a) { return a.address + "|" + a.name; }),
            100);
}

// The Date shortcut answers as gmime's date parser wherever it answers at all: every header of
// the corpora, generated values, and 3,000 valid dates in every zone.
TEST(LeanMime, DateShortcutAnswersAsGmime) {
  const std::vector<std::string> common = {
      "Tue, 15 Apr 2008 10:10:00 +0900", "15 Apr 2008 10:10:00 -0500",
      "Sat, 1 Mar 2008 00:00:00 +0000 (UTC)", "Thu, 29 Feb 2024 23:59:59 -1200",
      "Sun, 31 Dec 2028 12:00:00 +0530 (IST)"};
  for (const auto& v : common) EXPECT_TRUE(detail::date_lean(v)) << "[" << v << "]";
  auto values = header_values(
      common, {"Tue, ", "15 ", "Apr ", "2008 ", "10:10:00 ", "+0900", "-0500", " (JST)", "31 ",
               "Feb ", "29 ", "1969 ", "24:00:00 ", "x", " ", "9:5:1 ", "+2400", ","});
  const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  uint32_t seed = 777;
  const auto next = [&seed](uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  };
  for (int n = 0; n < 3000; ++n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s%u %s %u %02u:%02u:%02u %c%02u%02u", next(2) ? "Wed, " : "",
                  1 + next(31), months[next(12)], 1970 + next(80), next(24), next(60), next(60),
                  next(2) ? '+' : '-', next(15), next(4) * 15);
    values.push_back(buf);
  }
  for (auto& v : values) v = detail::header_text(v);  // what read_headers hands them
  EXPECT_GT(answered_alike(values, detail::date_lean, detail::date_gmime,
                           [](const auto& d) {
                             return std::to_string(d.time.time_since_epoch().count()) + " " +
                                    std::to_string(d.offset_minutes);
                           }),
            2000);
}

}  // namespace kz::intake
