// Fuzzes indicator extraction (refanging, addresses, URLs, domains, hashes).
#include <cstdint>
#include <string_view>

#include "triage/indicators.h"
#include "triage/reporters.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)kz::triage::extract_indicators(std::string_view(reinterpret_cast<const char*>(data), size),
                                       &kz::triage::is_public_domain);
  return 0;
}
