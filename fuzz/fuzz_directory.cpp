// Fuzzes the directory parsers: the contact directory and CSIRT directory (TOML) and RDAP
// responses (JSON), which come from servers nobody here controls.
#include <cstdint>
#include <string_view>

#include "enrich/directory.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)kz::enrich::parse_contacts(in, "fuzz");
  (void)kz::enrich::parse_csirts(in, "fuzz");
  (void)kz::enrich::parse_rdap(in);
  return 0;
}
