// Internet messages (RFC 5322 / MIME), read by a lean reader for the common shapes and by gmime
// for everything else: nested multiparts, forwarded
// message/rfc822, base64/QP, charsets (UTF-8, ISO-2022-JP, Shift_JIS, EUC-JP, ISO-8859-x ...)
// decoded to UTF-8, text attachments and zip archives of them, X-ARF 0.2 and ARF parts,
// PGP/MIME and inline OpenPGP (verified and decrypted through gmime's gpgme context).
#pragma once

#include <string>
#include <string_view>

#include "intake/message.h"

namespace kz::intake {

struct MimeOptions {
  Limits limits;
  // Host names of the centre's own MX: the first Received header whose "by" names one of these
  // gives the received time. Empty: the topmost Received header is the centre's.
  std::vector<std::string> own_mx;
  // Decrypt and verify OpenPGP (needs GNUPGHOME with the centre's key).
  bool openpgp = true;
  // Read common messages with the lean reader (mime_lean.cpp, several times faster) and only the
  // rest with gmime; both give the same ParsedMessage. False: gmime reads every message.
  bool lean = true;
};

// Initialises gmime once per process (thread-safe, idempotent). Called by parse_email.
void init_mime();

// Parses one message. Never fails on malformed MIME: what cannot be read is listed in
// `problems`. kParse only when the bytes are not a message at all (no header block).
Result<ParsedMessage> parse_email(std::string_view raw, const MimeOptions& options);

// Converts `bytes` to UTF-8 from `charset` (empty = guess: UTF-8, then ISO-2022-JP when
// escape sequences are present, then Shift_JIS, EUC-JP, Windows-1252). Never fails:
// undecodable bytes become U+FFFD.
std::string to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace kz::intake
