// Who to ask: the centre's own contact directory and CSIRT directory (TOML), and RDAP responses
// (RFC 9083 JSON: ip network and domain objects). Parsers are pure: text in, values out.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"
#include "core/result.h"

namespace kz::enrich {

struct Organisation {
  std::string name;
  std::string kind;             // isp | hosting | company | school | government | csirt | other
  std::string country;          // ISO alpha-2
  std::string language = "en";  // ja | en: the language of notices
  std::vector<std::string> abuse;
  std::string pgp_fingerprint;
  std::string format = "plain";  // plain | xarf
  std::vector<Cidr> netblocks;
  std::vector<uint32_t> asns;
  std::vector<std::string> domains;
};

struct Csirt {
  std::string country;
  std::string name;
  std::string email;
  std::string pgp_fingerprint;
  // Mailed only when true: a loaded list is verified unless an entry says otherwise; the
  // shipped starter list marks each entry false (kizuna directory verify NAME).
  bool verified = true;
};

// [[organisation]] tables; kParse with the file name for a bad document or field.
Result<std::vector<Organisation>> parse_contacts(std::string_view toml, const std::string& origin);
// [[csirt]] tables.
Result<std::vector<Csirt>> parse_csirts(std::string_view toml, const std::string& origin);

// What an RDAP object says about who holds a network or a domain.
struct RdapRecord {
  std::string kind;            // "ip network" | "domain"
  std::vector<Cidr> prefixes;  // ip network: cidr0_cidrs, else start..end
  std::string domain;          // domain: ldhName, lower-case
  std::string name;            // network name or registrar name
  std::string handle;
  std::string country;
  std::vector<std::string> abuse;  // by role: abuse, then technical, then administrative
  std::string abuse_role;          // the role the addresses came from
  std::string registrar;           // domain: the registrar's name
};

// One RDAP response (an object, or a search result with "ipSearchResults"/"domainSearchResults").
// Entities marked "removed" are skipped. kParse for invalid JSON or no RDAP object.
Result<std::vector<RdapRecord>> parse_rdap(std::string_view json);

// The CIDR blocks exactly covering [first, last] (both the same family).
std::vector<Cidr> range_cidrs(const Ip& first, const Ip& last);

}  // namespace kz::enrich
