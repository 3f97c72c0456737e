#include "enrich/directory.h"

#include <nlohmann/json.hpp>
#include <toml.hpp>

#include "core/text.h"
#include "enrich/prefix_table.h"
#include "enrich/sources.h"
#include "triage/toml_util.h"

namespace kz::enrich {

namespace {

template <typename T>
T opt(const toml::value& t, const char* key, T fallback) {
  if (!t.contains(key)) return fallback;
  return toml::find<T>(t, key);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

Result<std::vector<Organisation>> parse_contacts(std::string_view text, const std::string& origin) {
  std::vector<Organisation> out;
  try {
    const toml::value doc = triage::parse_toml_text(text, origin);
    for (const auto& t : triage::array_of_tables(doc, "organisation")) {
      Organisation o;
      o.name = toml::find<std::string>(t, "name");
      o.kind = opt<std::string>(t, "kind", "other");
      o.country = upper(opt<std::string>(t, "country", ""));
      o.language = opt<std::string>(t, "language", "en");
      o.abuse = opt<std::vector<std::string>>(t, "abuse", {});
      o.pgp_fingerprint = opt<std::string>(t, "pgp_fingerprint", "");
      o.format = opt<std::string>(t, "format", "plain");
      for (const auto& n : opt<std::vector<std::string>>(t, "netblocks", {})) {
        auto c = Cidr::parse(n);
        if (!c)
          return fail(Error::Parse(
              "organisation \"" + o.name + "\": \"" + n + "\" is not a CIDR block", origin));
        o.netblocks.push_back(*c);
      }
      for (auto a : opt<std::vector<int64_t>>(t, "asns", {}))
        o.asns.push_back(static_cast<uint32_t>(a));
      for (const auto& d : opt<std::vector<std::string>>(t, "domains", {}))
        o.domains.push_back(to_lower_ascii(d));
      if (o.language != "ja" && o.language != "en") {
        return fail(
            Error::Parse("organisation \"" + o.name + "\": language must be ja or en", origin));
      }
      out.push_back(std::move(o));
    }
  } catch (const std::exception& e) {
    return fail(Error::Parse(std::string("bad contact directory: ") + e.what(), origin));
  }
  return out;
}

Result<std::vector<Csirt>> parse_csirts(std::string_view text, const std::string& origin) {
  std::vector<Csirt> out;
  try {
    const toml::value doc = triage::parse_toml_text(text, origin);
    for (const auto& t : triage::array_of_tables(doc, "csirt")) {
      Csirt c;
      c.country = upper(toml::find<std::string>(t, "country"));
      c.name = toml::find<std::string>(t, "name");
      c.email = opt<std::string>(t, "email", "");
      c.pgp_fingerprint = opt<std::string>(t, "pgp_fingerprint", "");
      // A list the centre loads is its own word; the shipped starter list says `verified = false`.
      c.verified = opt<bool>(t, "verified", true);
      out.push_back(std::move(c));
    }
  } catch (const std::exception& e) {
    return fail(Error::Parse(std::string("bad CSIRT directory: ") + e.what(), origin));
  }
  return out;
}

std::vector<Cidr> range_cidrs(const Ip& first, const Ip& last) {
  std::vector<Cidr> out;
  if (first.family() != last.family()) return out;
  if (first.is_v4()) {
    const uint64_t a = first.v4_value();
    const uint64_t b = last.v4_value();
    if (b < a) return out;
    return range_to_cidrs(static_cast<uint32_t>(a), b - a + 1);
  }
  U128 a = to_u128(first);
  const U128 b = to_u128(last);
  if (b < a) return out;
  while (true) {
    int len = 128;
    while (len > 0) {
      const int host = 128 - (len - 1);
      const U128 size_minus_1 = host >= 128 ? ~U128{0} : ((U128{1} << host) - 1);
      if ((a & size_minus_1) != 0 || a + size_minus_1 > b || a + size_minus_1 < a) break;
      --len;
    }
    std::array<uint8_t, 16> bytes{};
    for (int i = 15; i >= 0; --i)
      bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(a >> (8 * (15 - i)));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%x:%x:%x:%x:%x:%x:%x:%x", bytes[0] << 8 | bytes[1],
                  bytes[2] << 8 | bytes[3], bytes[4] << 8 | bytes[5], bytes[6] << 8 | bytes[7],
                  bytes[8] << 8 | bytes[9], bytes[10] << 8 | bytes[11], bytes[12] << 8 | bytes[13],
                  bytes[14] << 8 | bytes[15]);
    out.emplace_back(*Ip::parse(buf), len);
    const int host = 128 - len;
    const U128 size_minus_1 = host >= 128 ? ~U128{0} : ((U128{1} << host) - 1);
    if (a + size_minus_1 >= b) break;
    a += size_minus_1 + 1;
  }
  return out;
}

namespace {

using nlohmann::json;

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool has_status(const json& j, const char* status) {
  auto it = j.find("status");
  if (it == j.end() || !it->is_array()) return false;
  for (const auto& s : *it) {
    if (s.is_string() && iequals(s.get<std::string>(), status)) return true;
  }
  return false;
}

// E-mail addresses and the formatted name from a jCard: ["vcard", [[name, params, type, value],
// ...]].
void vcard(const json& entity, std::vector<std::string>& emails, std::string& fn) {
  auto it = entity.find("vcardArray");
  if (it == entity.end() || !it->is_array() || it->size() < 2 || !(*it)[1].is_array()) return;
  for (const auto& prop : (*it)[1]) {
    if (!prop.is_array() || prop.size() < 4 || !prop[0].is_string()) continue;
    const std::string name = prop[0].get<std::string>();
    if (name == "email" && prop[3].is_string())
      emails.push_back(to_lower_ascii(prop[3].get<std::string>()));
    if (name == "fn" && prop[3].is_string() && fn.empty()) fn = prop[3].get<std::string>();
  }
}

// Walks entities (and their nested entities) collecting e-mail addresses per role.
// RDAP nests entities (a registrant's technical contact ...) two or three deep; a hostile
// server's answer could nest them a hundred thousand deep, and each level is a call.
constexpr int kMaxEntityDepth = 8;

void collect_roles(const json& entities, std::map<std::string, std::vector<std::string>>& by_role,
                   std::string* registrar, int depth = 0) {
  if (!entities.is_array()) return;
  for (const auto& e : entities) {
    if (!e.is_object() || has_status(e, "removed")) continue;
    std::vector<std::string> emails;
    std::string fn;
    vcard(e, emails, fn);
    if (auto roles = e.find("roles"); roles != e.end() && roles->is_array()) {
      for (const auto& r : *roles) {
        if (!r.is_string()) continue;
        const std::string role = to_lower_ascii(r.get<std::string>());
        auto& list = by_role[role];
        list.insert(list.end(), emails.begin(), emails.end());
        if (role == "registrar" && registrar && registrar->empty()) *registrar = fn;
      }
    }
    if (auto nested = e.find("entities"); nested != e.end() && depth < kMaxEntityDepth) {
      collect_roles(*nested, by_role, registrar, depth + 1);
    }
  }
}

RdapRecord record_of(const json& o) {
  RdapRecord r;
  r.kind = str(o, "objectClassName");
  r.handle = str(o, "handle");
  r.name = str(o, "name");
  r.country = str(o, "country");
  for (char& c : r.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (r.kind == "ip network") {
    if (auto c0 = o.find("cidr0_cidrs"); c0 != o.end() && c0->is_array()) {
      for (const auto& c : *c0) {
        std::string prefix = str(c, "v4prefix");
        if (prefix.empty()) prefix = str(c, "v6prefix");
        auto len = c.find("length");
        if (prefix.empty() || len == c.end() || !len->is_number_integer()) continue;
        if (auto cidr = Cidr::parse(prefix + "/" + std::to_string(len->get<int>())))
          r.prefixes.push_back(*cidr);
      }
    }
    if (r.prefixes.empty()) {
      auto first = Ip::parse(str(o, "startAddress"));
      auto last = Ip::parse(str(o, "endAddress"));
      if (first && last) r.prefixes = range_cidrs(*first, *last);
    }
  } else if (r.kind == "domain") {
    r.domain = to_lower_ascii(str(o, "ldhName"));
  }
  std::map<std::string, std::vector<std::string>> by_role;
  std::string registrar;
  if (auto e = o.find("entities"); e != o.end()) collect_roles(*e, by_role, &registrar);
  r.registrar = registrar;
  // Abuse desk first; a domain's abuse contact is usually nested under its registrar.
  for (const char* role : {"abuse", "technical", "administrative"}) {
    auto it = by_role.find(role);
    if (it != by_role.end() && !it->second.empty()) {
      r.abuse = it->second;
      r.abuse_role = role;
      break;
    }
  }
  return r;
}

}  // namespace

Result<std::vector<RdapRecord>> parse_rdap(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return fail(Error::Parse("not a JSON object: an RDAP response is one"));
  std::vector<RdapRecord> out;
  try {
    for (const char* list : {"ipSearchResults", "domainSearchResults", "networkSearchResults"}) {
      if (auto it = j.find(list); it != j.end() && it->is_array()) {
        for (const auto& o : *it) {
          if (o.is_object()) out.push_back(record_of(o));
        }
      }
    }
    if (j.contains("objectClassName")) out.push_back(record_of(j));
  } catch (const json::exception& e) {
    return fail(Error::Parse(std::string("unexpected value in the RDAP response: ") + e.what()));
  }
  if (out.empty()) {
    if (j.contains("errorCode"))
      return fail(Error::NotFound("the RDAP server answered \"not found\""));
    return fail(Error::Parse("no RDAP object (objectClassName) in the document"));
  }
  return out;
}

}  // namespace kz::enrich
