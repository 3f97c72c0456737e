// Fuzzes how a received mail is read for what it says about the centre's own mails
// (coord/replies.h: delivery status notifications, replies, tracking tags) and the evidence
// masking (coord/masking.h): the input as a whole mail, and as the text of a DSN-looking one.
// These replaced std::regex, whose recursion a 40 KB token overflowed.
#include <cstdint>
#include <string>
#include <string_view>

#include "coord/masking.h"
#include "coord/replies.h"
#include "intake/mime.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  kz::intake::MimeOptions mo;
  mo.openpgp = false;
  if (auto m = kz::intake::parse_email(in, mo)) {
    (void)kz::coord::read_reply(*m, "Kizuna#");
    (void)kz::coord::reply_says_taken_down(*m);
  }
  kz::intake::ParsedMessage dsn;
  dsn.from_address = "mailer-daemon@example.net";
  dsn.subject = std::string(in.substr(0, 200));
  dsn.parts.push_back({"body", std::string(in), false, true});
  (void)kz::coord::read_reply(dsn, "Kizuna#");
  (void)kz::coord::read_tag(in, "Kizuna#");
  (void)kz::coord::mask_reporter_identifiers(in, "192.0.2.1");
  return 0;
}
