// Masking what could identify a reporter in a line of their report before it is quoted to a
// responder as evidence: IPv4 and IPv6 addresses other than the reported one become "x.x.x.x" /
// "x:x:x:x", mail addresses "[address removed]".
//
// Hand-written scanners, one forward pass each: no backtracking matcher runs over input, so the
// cost is linear in the line whatever it holds. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace kz::coord {

// `keep_ip` (the reported address, as stored) stays visible; "" masks every address.
std::string mask_reporter_identifiers(std::string_view line, std::string_view keep_ip);

}  // namespace kz::coord
