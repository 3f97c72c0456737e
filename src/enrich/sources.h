// Parsers for the offline files real sources publish. Each takes the file's text and returns
// what it could read plus one problem per bad line ("line 12: ..."): a bad line never stops a
// load. Pure and thread-safe.
//  - CAIDA RouteViews prefix2as: "prefix<TAB>length<TAB>asn", multi-origin "asn1_asn2", AS sets
//    "asn1,asn2"; IPv4 and IPv6.
//  - RIR delegated-extended statistics: "registry|cc|type|start|value|date|status[|opaque]";
//    IPv4 `value` is an address count (split into CIDR blocks), IPv6 `value` a prefix length.
//  - AS to organisation: CAIDA as2org (aut and org sections) or a plain "asn|name|country".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"

namespace kz::enrich {

struct Problem {
  size_t line;
  std::string message;
};

struct OriginEntry {
  Cidr prefix;
  std::vector<uint32_t> origins;  // first = the primary origin
};

struct DelegationEntry {
  Cidr prefix;
  std::string registry;  // apnic, ripencc, arin, lacnic, afrinic, jpnic ...
  std::string country;   // ISO alpha-2, upper-case
  std::string status;    // allocated | assigned
};

struct AsNameEntry {
  uint32_t asn;
  std::string name;
  std::string country;
};

template <typename T>
struct Parsed {
  std::vector<T> entries;
  std::vector<Problem> problems;
  size_t skipped = 0;  // comments, headers, summaries, unused records
};

Parsed<OriginEntry> parse_pfx2as(std::string_view text);
Parsed<DelegationEntry> parse_delegated(std::string_view text);
Parsed<AsNameEntry> parse_as2org(std::string_view text);

// The CIDR blocks exactly covering `count` addresses from `start` (RIR IPv4 records).
std::vector<Cidr> range_to_cidrs(uint32_t start, uint64_t count);

}  // namespace kz::enrich
