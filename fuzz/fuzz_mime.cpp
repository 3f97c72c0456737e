// Fuzzes MIME intake and the whole triage of the parsed message: any bytes in, no crash.
#include <cstdint>
#include <string_view>

#include "intake/mime.h"
#include "triage/assess.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const kz::triage::TriageConfig kConfig;
  kz::intake::MimeOptions opt;
  opt.openpgp = false;  // no keyring in the fuzzer; the OpenPGP paths are covered by tests
  opt.limits.max_message_bytes = 1 << 20;
  auto m = kz::intake::parse_email(std::string_view(reinterpret_cast<const char*>(data), size), opt);
  if (m) (void)kz::triage::assess(*m, kConfig);
  return 0;
}
