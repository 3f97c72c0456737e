#include "coord/replies.h"

#include <gtest/gtest.h>

#include <chrono>

#include "coord/masking.h"
#include "intake/mime.h"

namespace kz::coord {
namespace {

intake::ParsedMessage parse(const std::string& raw) {
  intake::MimeOptions mo;
  mo.openpgp = false;
  auto m = intake::parse_email(raw, mo);
  EXPECT_TRUE(m.has_value());
  return m ? *m : intake::ParsedMessage{};
}

const char* kOurId = "kizuna.12.0123456789abcdef@centre.example.jp";

TEST(ReadReply, DeliveryStatusNotificationWithReturnedHeaders) {
  const std::string dsn =
      std::string(
          "From: Mail Delivery System <MAILER-DAEMON@mx.example.de>\n"
          "Subject: Undelivered Mail Returned to Sender\n"
          "MIME-Version: 1.0\n"
          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
          "--b1\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"
          "--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.de\n\n"
          "Final-Recipient: rfc822; <Cert@Cert.Example.DE>\nAction: failed\nStatus: 5.1.1\n"
          "Diagnostic-Code: smtp; 550 5.1.1 user unknown\n\n"
          "--b1\nContent-Type: message/rfc822-headers\n\nMessage-ID: <") +
      kOurId + ">\nSubject: [Kizuna#N3] phishing\n\n--b1--\n";
  const ReplyReading r = read_reply(parse(dsn), "Kizuna#");
  EXPECT_TRUE(r.delivery_failure);
  EXPECT_EQ(r.message_ids, std::vector<std::string>{kOurId});
  EXPECT_EQ(r.failed_recipients, std::vector<std::string>{"cert@cert.example.de"});
  EXPECT_EQ(r.diagnostic, "Diagnostic-Code: smtp; 550 5.1.1 user unknown");
  EXPECT_FALSE(reply_says_taken_down(parse(dsn)));
}

TEST(ReadReply, ReturnedOriginalMessageIdIsRead) {
  const std::string dsn =
      std::string(
          "From: postmaster@isp.example\nSubject: Delivery failure\nMIME-Version: 1.0\n"
          "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n"
          "--b\nContent-Type: text/plain\n\nfailed\n\n"
          "--b\nContent-Type: message/rfc822\n\nFrom: centre@example.jp\nMessage-ID: <") +
      kOurId + ">\nSubject: notice\n\nPlease take the site down.\n--b--\n";
  const ReplyReading r = read_reply(parse(dsn), "Kizuna#");
  EXPECT_TRUE(r.delivery_failure);
  EXPECT_EQ(r.message_ids, std::vector<std::string>{kOurId});
  EXPECT_TRUE(r.failed_recipients.empty());
}

TEST(ReadReply, TagsAndClosureWords) {
  auto m = parse(
      "From: abuse@isp.example\nSubject: Re: [Kizuna#N12] phishing site\n\n"
      "The site has been removed.\n> Please take it down\n");
  ReplyReading r = read_reply(m, "Kizuna#");
  EXPECT_FALSE(r.delivery_failure);
  EXPECT_EQ(r.tagged_notice, 12);
  EXPECT_FALSE(r.tagged_report);
  EXPECT_TRUE(reply_says_taken_down(m));
  // Closure words only quoted from our own notice do not count.
  m = parse("From: a@b.example\nSubject: Re: [Kizuna#7]\n\nthanks\n> has been removed?\n");
  r = read_reply(m, "Kizuna#");
  EXPECT_EQ(r.tagged_report, 7);
  EXPECT_FALSE(reply_says_taken_down(m));
}

TEST(ReadTag, RefusesWhatIsNotATag) {
  EXPECT_FALSE(read_tag("[Kizuna#]", "Kizuna#"));
  EXPECT_FALSE(read_tag("[Kizuna#N]", "Kizuna#"));
  EXPECT_FALSE(read_tag("[Kizuna#12", "Kizuna#"));
  EXPECT_FALSE(read_tag("[Kizuna#1x]", "Kizuna#"));
  // A number that does not fit is nobody's tag (it used to throw out of std::stoll).
  EXPECT_FALSE(read_tag("[Kizuna#99999999999999999999999]", "Kizuna#"));
  EXPECT_EQ(read_tag("[Kizuna#999999999999999999]", "Kizuna#")->id, 999999999999999999);
}

TEST(FinalRecipient, Forms) {
  EXPECT_EQ(final_recipient("Final-Recipient: rfc822; a@b.example"), "a@b.example");
  EXPECT_EQ(final_recipient("  final-recipient:RFC822;<A@B.example>  "), "a@b.example");
  EXPECT_FALSE(final_recipient("Final-Recipient: x400; a@b"));
  EXPECT_FALSE(final_recipient("Final-Recipient: rfc822; @b.example"));
  EXPECT_FALSE(final_recipient("Final-Recipient: rfc822; a@"));
  EXPECT_FALSE(final_recipient("Final-Recipient: rfc822; " + std::string(400, 'a') + "@b.example"));
}

// The inputs that overflowed std::regex's recursion (newcomer report items 1 and 39-42): each
// must be read in time linear in its length, not crash.
TEST(ReadReply, HostileTokensAreLinear) {
  intake::ParsedMessage m;
  m.from_address = "mailer-daemon@x.example";
  m.subject = "Undelivered Mail";
  m.parts.push_back({"body",
                     "Final-Recipient: rfc822; " + std::string(4'000'000, 'a') + "@x.example",
                     false, true});
  m.parts.push_back(
      {"body", "kizuna.1.0123456789abcdef@" + std::string(4'000'000, 'a'), false, true});
  m.parts.push_back({"body", "kizuna." + std::string(4'000'000, '1'), false, true});
  std::string many;
  for (int i = 0; i < 200'000; ++i) many += "kizuna.1.0123456789abcdef@h" + std::to_string(i) + " ";
  m.parts.push_back({"body", many, false, true});
  const auto start = std::chrono::steady_clock::now();
  const ReplyReading r = read_reply(m, "Kizuna#");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.failed_recipients.empty());
  EXPECT_EQ(r.message_ids.size(), kMaxIds);  // capped, the long host (over 253) refused
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(Masking, AddressesOtherThanTheReportedOne) {
  EXPECT_EQ(
      mask_reporter_identifiers("attack from 203.0.113.5 on 192.0.2.10 port 22", "203.0.113.5"),
      "attack from 203.0.113.5 on x.x.x.x port 22");
  EXPECT_EQ(mask_reporter_identifiers("mail soc@reporter.example.co.jp for details", ""),
            "mail [address removed] for details");
  EXPECT_EQ(mask_reporter_identifiers("from 2001:db8::1 to 2001:db8::2", "2001:db8::2"),
            "from x:x:x:x to 2001:db8::2");
  EXPECT_EQ(mask_reporter_identifiers("time 10:20:30 ok", ""), "time 10:20:30 ok");
  EXPECT_EQ(mask_reporter_identifiers("a@b and c@d.example-x", ""), "a@b and [address removed]-x");
  const std::string long_line(1'000'000, '@');
  EXPECT_EQ(mask_reporter_identifiers(long_line, ""), long_line);
}

}  // namespace
}  // namespace kz::coord

namespace kz::coord {
namespace {

store::NoticeRecord sent_notice(store::Id id, const std::string& audience, store::Id report,
                                const std::string& to) {
  store::NoticeRecord n;
  n.id = id;
  n.audience = *store::parse_audience(audience);
  n.report = report;
  n.to = {to};
  n.status = store::NoticeStatus::kSent;
  return n;
}

TEST(FileReply, OurMessageIdDecidesWhoeverWrites) {
  ReplyClues c;
  c.by_message_id = sent_notice(12, "responder", 7, "abuse@isp.example");
  c.sender = "someone@elsewhere.example";
  const ReplyFiling f = file_reply(c);
  EXPECT_EQ(f.notice, 12);
  EXPECT_FALSE(f.report);
  EXPECT_TRUE(f.strangers.empty());
}

TEST(FileReply, ATagCountsOnlyFromWhomTheMailWentTo) {
  ReplyClues colleague;
  colleague.tagged_notice = sent_notice(12, "responder", 7, "abuse@isp.example");
  colleague.sender = "noc@ISP.example";  // another person of the organisation notified
  EXPECT_EQ(file_reply(colleague).notice, 12);

  ReplyClues stranger = colleague;
  stranger.sender = "attacker@evil.example";
  const ReplyFiling f = file_reply(stranger);
  EXPECT_FALSE(f.notice);
  EXPECT_FALSE(f.report);
  EXPECT_EQ(f.strangers, (std::vector<store::Id>{7})) << "the report notes the stranger";
}

TEST(FileReply, AReportTagFilesOnlyTheReportersOwnMail) {
  store::ReporterContact contact;
  contact.report = 3;
  contact.address = "Reporter@Example.org";
  ReplyClues own;
  own.tagged_report = contact;
  own.sender = "reporter@example.org";
  EXPECT_EQ(file_reply(own).report, 3);

  ReplyClues other = own;
  other.sender = "colleague@example.org";  // the same domain is not the reporter
  const ReplyFiling f = file_reply(other);
  EXPECT_FALSE(f.report);
  EXPECT_EQ(f.strangers, (std::vector<store::Id>{3}));
}

TEST(FileReply, AnAnswerToAMailToTheReporterIsTheReporterWritingBack) {
  ReplyClues c;
  c.by_message_id = sent_notice(20, "reporter", 9, "reporter@example.org");
  c.sender = "reporter@example.org";
  const ReplyFiling f = file_reply(c);
  EXPECT_FALSE(f.notice);
  EXPECT_EQ(f.report, 9);
}

TEST(ReplyTime, TheReplysOwnDateWithinTheNoticeAndNow) {
  const Time sent{std::chrono::seconds{1000}};
  const Time now{std::chrono::seconds{5000}};
  const Time received{std::chrono::seconds{2000}};
  const Time date{std::chrono::seconds{1500}};
  EXPECT_EQ(reply_time(received, date, sent, now), received) << "the centre's Received: first";
  EXPECT_EQ(reply_time(std::nullopt, date, sent, now), date);
  EXPECT_EQ(reply_time(std::nullopt, std::nullopt, sent, now), now);
  EXPECT_EQ(reply_time(Time{std::chrono::seconds{10}}, std::nullopt, sent, now), sent)
      << "never before the notice went out";
  EXPECT_EQ(reply_time(Time{std::chrono::seconds{9000}}, std::nullopt, sent, now), now)
      << "never in the future";
}

}  // namespace
}  // namespace kz::coord
