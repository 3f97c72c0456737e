// Fuzzes the parsers for the offline files enrichment loads: CAIDA RouteViews prefix2as, RIR
// delegated-extended statistics and AS to organisation (CAIDA as2org and the plain form).
#include <cstdint>
#include <string_view>

#include "enrich/sources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)kz::enrich::parse_pfx2as(in);
  (void)kz::enrich::parse_delegated(in);
  (void)kz::enrich::parse_as2org(in);
  return 0;
}
