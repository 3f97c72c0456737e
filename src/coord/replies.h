// Reading a received mail for what it says about the centre's own mails: a delivery status
// notification (RFC 3464) for one of our notices, a reply quoting a notice's Message-ID, or the
// tracking tag of a notice ([Kizuna#N12]) or a report ([Kizuna#7]) in the subject.
//
// read_reply() is pure: it looks only at the parsed message (never the store, never the raw
// bytes), so it can be fuzzed on its own (fuzz/fuzz_reply.cpp). Every scan is a single forward
// pass over the text with bounded look-ahead: no backtracking matcher runs over input, and a
// hostile token of any length costs time linear in its length. The Coordinator then decides
// what the reading means against the store (take_reply, take_bounce).
//
// Thread-safe (no state).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "intake/message.h"
#include "store/outbox.h"
#include "store/reporters.h"

namespace kz::coord {

struct ReplyReading {
  // Looks like a delivery status notification (from MAILER-DAEMON/postmaster, or a subject such
  // as "Undelivered Mail"). Only then are the fields below about failures read.
  bool delivery_failure = false;
  // Message-IDs the mail refers to: In-Reply-To and References, the Message-IDs of embedded
  // originals, and (in a delivery failure) the centre's own Message-IDs found in its text.
  // Without <>, in that order, no duplicates, at most kMaxIds.
  std::vector<std::string> message_ids;
  // A delivery failure's Final-Recipient addresses, lower-case, at most kMaxRecipients.
  std::vector<std::string> failed_recipients;
  // The first Diagnostic-Code line, at most kMaxDiagnosticBytes (cut at a UTF-8 boundary).
  std::string diagnostic;
  // The tracking tag in the subject: a notice ([<prefix>N12]) or a report ([<prefix>7]).
  std::optional<int64_t> tagged_notice;
  std::optional<int64_t> tagged_report;
};

inline constexpr size_t kMaxIds = 64;
inline constexpr size_t kMaxRecipients = 100;
inline constexpr size_t kMaxDiagnosticBytes = 1000;

// `tag_prefix` is the notice tag's prefix as it appears after "[" ("Kizuna#").
ReplyReading read_reply(const intake::ParsedMessage& m, std::string_view tag_prefix);

// The centre's own Message-IDs ("kizuna.<number>.<16 hex>@<host>") in `text`, appended to `out`
// unless already there, up to kMaxIds in all. Linear in the text.
void find_our_message_ids(std::string_view text, std::vector<std::string>& out);

// "Final-Recipient: rfc822; <addr>" on one line (any case, white space around the parts):
// the address, lower-case; nullopt for anything else or an address over 320 bytes.
std::optional<std::string> final_recipient(std::string_view line);

// The tag "[<prefix>N12]" or "[<prefix>7]" in a subject: the number and whether it names a
// notice. Numbers of more than 18 digits are not tags.
struct Tag {
  int64_t id = 0;
  bool notice = false;
};
std::optional<Tag> read_tag(std::string_view subject, std::string_view prefix);

// The reply's own text (its subject and parts, without "> " quoted lines and quoted originals)
// says the sites are gone. Apart from read_reply because it reads the whole text: coordination
// asks it only of a mail that answers a notice, not of every message intake reads.
bool reply_says_taken_down(const intake::ParsedMessage& m);

// Closure words in a reply ("削除しました", "has been removed", "taken down" ...).
bool says_taken_down(std::string_view text);

// --- filing a reply (pure: the Coordinator reads the clues from the store, then applies) -------

// What the store knows of the mails a message may answer.
struct ReplyClues {
  std::optional<store::NoticeRecord> by_message_id;     // the sent notice its References name
  std::optional<store::NoticeRecord> tagged_notice;     // the notice of a [<prefix>N12] tag
  std::optional<store::ReporterContact> tagged_report;  // the report of a [<prefix>7] tag
  std::string sender;                                   // the message's From address
};

// Where it is filed: under a notice (a responder answering it), under a report (the reporter
// writing back), or neither (a new message). A Message-ID of ours decides alone. A tag is easy to
// guess, so a tag alone files a message only from whom the mail went to (tag_sender_known; for a
// report's tag, the reporter's own address); anyone else's use of a tag is listed in `strangers`
// for a handler. An answer to a mail to a reporter (acknowledgement, closure) is the reporter
// writing back about its report.
struct ReplyFiling {
  std::optional<store::Id> notice;
  std::optional<store::Id> report;
  std::vector<store::Id> strangers;  // reports whose tag someone else used
};
ReplyFiling file_reply(const ReplyClues& clues);

// Whether `sender` is whom notice `n` went to: one of its recipients, or for a responder an
// address of a recipient's domain (another person at the same organisation).
bool tag_sender_known(const store::NoticeRecord& n, const std::string& sender);

// When a responder answered: the reply's own date (the centre's Received:, else Date:, else
// `now`), never before the notice was sent and never after `now`.
Time reply_time(std::optional<Time> received, std::optional<Time> date,
                std::optional<Time> notice_sent, Time now);

}  // namespace kz::coord
