// Fuzzes what the URL checker reads from the sites it fetches (hostile by nature): the content
// fingerprint, the title, the placeholder test and the down rule; and the route JSON and mail
// templates coordination reads back.
#include <cstdint>
#include <string>
#include <string_view>

#include "coord/checker.h"
#include "coord/notices.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  const std::string fp = kz::coord::content_fingerprint(body);
  (void)kz::coord::fingerprint_similarity(fp, body);  // a stored fingerprint may be damaged too
  (void)kz::coord::page_title(body);
  (void)kz::coord::looks_like_placeholder(body);
  (void)kz::coord::judge({"", "", 200, body}, fp);
  (void)kz::coord::parse_route(body);
  (void)kz::coord::render(body, {{"tag", "[Kizuna#N1]"}, {"sites", ""}, {"preamble", ""}});
  return 0;
}
