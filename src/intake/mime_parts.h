// Internal to intake: what both MIME readers share. parse_email reads a message with the lean
// reader (mime_lean.cpp) when it can and with gmime (mime.cpp) otherwise; both hand their
// header fields and decoded leaf parts to the code here, so a message gives the same
// ParsedMessage whichever reader took it (tests/fuzz compare the two).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intake/message.h"
#include "intake/mime.h"

namespace kz::intake::detail {

// One header as received: its name and its raw value (everything after the colon, folding and
// the final line break included; gmime's g_mime_header_get_raw_value gives the same).
struct RawHeader {
  std::string_view name;
  std::string raw;
};

// Subject, From, Message-ID, Date, references and the Received trail, decoded through gmime's
// header utilities (RFC 2047 words, fallback charsets, address lists, dates).
void read_headers(const std::vector<RawHeader>& headers, ParsedMessage& out,
                  const MimeOptions& opt);

// The first mailbox of an address header such as From: its address as written and its display
// name decoded ("" when none).
struct Mailbox {
  std::string address;
  std::string name;
};
// The common forms, read here: "addr", "<addr>", "Phrase <addr>" and "\"Quoted\" <addr>" in
// printable ASCII on one line, encoded words in the phrase decoded by gmime's phrase decoder.
// nullopt for anything else (comments, groups, lists, folding, 8-bit bytes, escapes), which goes
// to mailbox_gmime (internet_address_list_parse: about 16,000 instructions a message with its
// GObjects). Tests hold the two to the same answers on every header value of the corpora.
std::optional<Mailbox> mailbox_lean(std::string_view raw);
// nullopt when gmime finds no address; a group gives its first member's address.
std::optional<Mailbox> mailbox_gmime(std::string_view raw);

// A Date header: the instant and the sender's zone offset.
struct HeaderDate {
  Time time;
  int offset_minutes = 0;
};
// The RFC 5322 form "[Tue, ]15 Apr 2008 10:10:00 +0900[ (JST)]" on a real calendar day, read
// here; nullopt for anything else, which goes to date_gmime (g_mime_utils_header_decode_date,
// lenient about broken dates). Tests hold the two to the same answers.
std::optional<HeaderDate> date_lean(std::string_view value);
std::optional<HeaderDate> date_gmime(std::string_view value);

// The decoded value of a raw header (unfolded, RFC 2047 words decoded), UTF-8. Printable ASCII
// without encoded words is unfolded here; everything else by header_text_gmime, which calls
// gmime's g_mime_utils_header_unfold and g_mime_utils_header_decode_text (tests hold the two
// to the same answers).
std::string header_text(std::string_view raw);
std::string header_text_gmime(std::string_view raw);

// A leaf part as a reader found it. `bytes` gives its content with the transfer encoding
// undone (called at most once, only when the content is read).
struct Leaf {
  std::string type;     // lower-case media type
  std::string subtype;  // lower-case
  std::string name;     // file name (Content-Disposition filename, else Content-Type name)
  bool attachment = false;
  bool has_charset_param = false;  // text/* only: the declared charset
  std::string charset;
  std::function<std::string()> bytes;
};

// Collects the readable text and machine-readable reports of one message, within its limits.
class Collector {
 public:
  Collector(ParsedMessage& out, const MimeOptions& opt) : out_(out), opt_(opt) {}

  // Counts a part and checks its depth; false (with the problem noted) when past a limit.
  bool enter(int depth);
  void note(std::string problem) { out_.problems.push_back(std::move(problem)); }
  void add_text(std::string origin, std::string text, bool attachment, bool quoted);
  // The header block of a forwarded message ("Subject: ...", "From: ...") as text.
  void forwarded_headers(const std::string& prefix, const char* subject, const std::string& from,
                         bool quoted);
  // The header block of an embedded message (message/rfc822): its Message-ID is recorded in
  // ParsedMessage::embedded_message_ids (a returned original names the centre's notice).
  void embedded_headers(const std::vector<RawHeader>& headers);
  // True for the leaf types kept whole as quoted text or read as ARF (never OpenPGP).
  static bool is_message_leaf(const std::string& type, const std::string& subtype);
  // Reads one leaf: ARF fields, embedded messages, zip archives, text (charset, HTML), X-ARF.
  void leaf(const Leaf& part, const std::string& prefix, bool quoted);
  // X-ARF inside a mail: a JSON part (v3/v4) or the 0.2 report.txt part. True when one was read.
  bool structured_from_text(const std::string& text, const std::string& origin, bool is_json,
                            const std::string& name);

  ParsedMessage& out() { return out_; }
  const MimeOptions& options() const { return opt_; }

 private:
  void unzip(const std::string& bytes, const std::string& origin, const std::string& name,
             bool quoted);

  ParsedMessage& out_;
  const MimeOptions& opt_;
  int parts_seen_ = 0;
  size_t text_bytes_ = 0;
  bool noted_parts_ = false;
  bool noted_depth_ = false;
  bool noted_text_ = false;
};

// The lean reader: the common shapes of report mail (text and multipart bodies, 7bit, 8bit,
// quoted-printable and base64, forwarded messages) without building gmime's object tree. False
// when the message has anything it does not read exactly as gmime does (PGP, RFC 2231
// parameters, unusual structure); `out` is then to be discarded and gmime reads the message.
bool parse_lean(std::string_view raw, const MimeOptions& opt, ParsedMessage& out);

}  // namespace kz::intake::detail
