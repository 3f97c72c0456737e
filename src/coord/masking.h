// Masking what could identify a reporter in a line of their report before it is quoted to a
// responder as evidence: IPv4 and IPv6 addresses other than the reported one become "x.x.x.x" /
// "x:x:x:x", mail addresses "[address removed]".
//
// Hand-written scanners, one forward pass each: no backtracking matcher runs over input, so the
// cost is linear in the line whatever it holds. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kz::coord {

// `keep_ip` (the reported address, as stored) stays visible; "" masks every address.
std::string mask_reporter_identifiers(std::string_view line, std::string_view keep_ip);

// Evidence for one site of a notice, picked from the report's texts: for a site with a URL, the
// lines naming that URL (defanged forms read too) and the lines that name its host or address
// but no URL; for a bare address or host, the lines naming it but no other URL. A line that is
// only the URL is left out (the notice lists it). Each line masked as above, at most 200 bytes,
// at most 8 lines. So two sites on one address each get their own lines, and a site known only
// by its host name gets evidence too.
std::vector<std::string> evidence_for_site(const std::vector<std::string_view>& texts,
                                           std::string_view url, std::string_view ip,
                                           std::string_view host);

}  // namespace kz::coord
