// Fuzzes the structured report parsers: X-ARF v3/v4 and form JSON, X-ARF 0.2, ARF, and the
// OpenPGP signature packet reader.
#include <cstdint>
#include <string_view>

#include "intake/keyring.h"
#include "intake/structured.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)kz::intake::parse_json_message(in);
  (void)kz::intake::parse_xarf02(in);
  (void)kz::intake::parse_arf(in);
  (void)kz::intake::signature_issuer(in);
  return 0;
}
