// Fuzzes mbox splitting and the date parsers it relies on.
#include <cstdint>
#include <string_view>

#include "core/time.h"
#include "intake/mailbox.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)kz::intake::split_mbox(in, "fuzz");
  (void)kz::parse_rfc2822(in);
  (void)kz::parse_iso8601(in, kz::TimeZone("UTC"));
  return 0;
}
