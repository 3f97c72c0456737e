// Fuzzes MIME intake and the whole triage of the parsed message: any bytes in, no crash. It is
// also a differential fuzzer: wherever the lean reader takes a message, gmime must read it the
// same way (a disagreement aborts with the differing field), and wherever the From and Date
// shortcuts both readers share answer for the input taken as a header value, gmime's address
// and date parsers must give the same answer.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "intake/mime.h"
#include "intake/mime_parts.h"
#include "triage/assess.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kz::triage::TriageConfig kConfig;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  kz::intake::MimeOptions opt;
  opt.openpgp = false;  // no keyring in the fuzzer; the OpenPGP paths are covered by tests
  opt.limits.max_message_bytes = 1 << 20;
  auto m = kz::intake::parse_email(raw, opt);
  if (m) (void)kz::triage::assess(*m, kConfig);

  kz::intake::MimeOptions gmime_only = opt;
  gmime_only.lean = false;
  auto g = kz::intake::parse_email(raw, gmime_only);
  if (m.has_value() != g.has_value()) {
    std::fprintf(stderr, "the lean and gmime readers disagree on whether this is a message\n");
    std::abort();
  }
  if (m) {
    const std::string d = kz::intake::first_difference(*g, *m);
    if (!d.empty()) {
      std::fprintf(stderr, "the lean and gmime readers disagree: %s\n", d.c_str());
      std::abort();
    }
  }
  if (size < 512) {
    if (auto lean = kz::intake::detail::mailbox_lean(raw)) {
      auto theirs = kz::intake::detail::mailbox_gmime(raw);
      if (!theirs || theirs->address != lean->address || theirs->name != lean->name) {
        std::fprintf(stderr, "mailbox_lean disagrees with gmime's address parser\n");
        std::abort();
      }
    }
    if (auto lean = kz::intake::detail::date_lean(raw)) {
      auto theirs = kz::intake::detail::date_gmime(raw);
      if (!theirs || theirs->time != lean->time || theirs->offset_minutes != lean->offset_minutes) {
        std::fprintf(stderr, "date_lean disagrees with gmime's date parser\n");
        std::abort();
      }
    }
  }
  return 0;
}
