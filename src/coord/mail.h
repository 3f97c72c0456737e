// Turning a planned mail (store::NoticeRecord) into the exact bytes handed to SMTP: RFC 5322
// headers (UTF-8 subject encoded per RFC 2047), a text/plain UTF-8 body, optional attachments
// (X-ARF v4 JSON), and OpenPGP/MIME: always signed with the centre's key when one is configured,
// encrypted as well when every recipient's key is in the keyring (RFC 3156: the entity is written
// in canonical form, signed or encrypted through one gpgme context per thread, and gmime builds
// the multipart). Lines end in CRLF, as SMTP wants them.
//
// The bytes are built once, when a notice is approved, and stored in the outbox: a resend after
// a crash sends the same bytes with the same Message-ID.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "store/outbox.h"

namespace kz::coord {

struct MailIdentity {
  std::string from_name = "Kizuna";
  std::string from_address = "kizuna@localhost";
  std::string reply_to;     // empty: none
  std::string signing_key;  // fingerprint or address of the centre's key; empty: unsigned
  bool encrypt = true;      // encrypt when every recipient's key is known
  std::string message_id_domain = "localhost";
};

struct Attachment {
  std::string filename;
  std::string content_type;  // "application/json"
  std::string bytes;
};

struct ComposedMail {
  std::string bytes;       // CRLF line ends
  std::string message_id;  // without <>
  bool is_signed = false;
  bool encrypted = false;
};

// A fresh Message-ID: "kizuna.<notice>.<random>@<domain>".
std::string new_message_id(store::Id notice, const std::string& domain);

// Builds the mail. `message_id` is used as given (the outbox fixes it before composing).
// kUnavailable when signing was asked for and failed (a missing secret key, gpg not running):
// a notice is never sent unsigned by accident.
Result<ComposedMail> compose_mail(const store::NoticeRecord& notice,
                                  const std::vector<Attachment>& attachments,
                                  const MailIdentity& identity, const std::string& message_id,
                                  Time date, const std::string& in_reply_to = "");

// The fingerprints of usable encryption keys for every address, or an empty list when any one
// address has none (a mail partly readable is worse than a signed plain one).
std::vector<std::string> encryption_keys(const std::vector<std::string>& addresses);

}  // namespace kz::coord
