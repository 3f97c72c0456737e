#include "enrich/sources.h"

#include <charconv>
#include <map>

#include "core/text.h"

namespace kz::enrich {

namespace {

template <typename Int>
bool to_int(std::string_view s, Int& out) {
  s = trim(s);
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string upper(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Calls `fn(line_number, trimmed_line)` for every line that is neither blank nor a comment,
// counting those in `skipped`.
template <typename Fn>
void for_each_data_line(std::string_view text, size_t& skipped, Fn fn) {
  size_t n = 0;
  for (auto line : split_lines(text)) {
    ++n;
    line = trim(line);
    if (line.empty() || line[0] == '#') {
      ++skipped;
      continue;
    }
    fn(n, line);
  }
}

}  // namespace

std::vector<Cidr> range_to_cidrs(uint32_t start, uint64_t count) {
  std::vector<Cidr> out;
  uint64_t pos = start;
  const uint64_t end = uint64_t{start} + count;  // exclusive
  while (pos < end && pos <= 0xFFFFFFFFull) {
    int len = 32;
    // The largest aligned block starting at pos that fits.
    while (len > 0) {
      const uint64_t size = uint64_t{1} << (32 - (len - 1));
      if ((pos & (size - 1)) != 0 || pos + size > end) break;
      --len;
    }
    out.emplace_back(Ip::v4(static_cast<uint32_t>(pos)), len);
    pos += uint64_t{1} << (32 - len);
  }
  return out;
}

Parsed<OriginEntry> parse_pfx2as(std::string_view text) {
  Parsed<OriginEntry> out;
  for_each_data_line(text, out.skipped, [&](size_t n, std::string_view line) {
    auto f = split(line, '\t');
    if (f.size() != 3) f = split(line, ' ');
    if (f.size() != 3) {
      out.problems.push_back({n, "expected \"prefix<TAB>length<TAB>asn\""});
      return;
    }
    auto ip = Ip::parse(trim(f[0]));
    int len = -1;
    if (!ip || !to_int(f[1], len) || len < 0 || len > (ip->is_v4() ? 32 : 128)) {
      out.problems.push_back(
          {n, "bad prefix \"" + std::string(f[0]) + "/" + std::string(f[1]) + "\""});
      return;
    }
    OriginEntry e{Cidr(*ip, len), {}};
    bool ok = true;
    for (auto moas : split(f[2], '_')) {
      for (auto as : split(moas, ',')) {
        std::string_view a = trim(as);
        while (!a.empty() && (a.front() == '{')) a.remove_prefix(1);
        while (!a.empty() && (a.back() == '}')) a.remove_suffix(1);
        uint32_t asn = 0;
        if (!to_int(a, asn)) {
          ok = false;
          break;
        }
        e.origins.push_back(asn);
      }
    }
    if (!ok || e.origins.empty()) {
      out.problems.push_back({n, "bad origin AS \"" + std::string(f[2]) + "\""});
      return;
    }
    out.entries.push_back(std::move(e));
  });
  return out;
}

Parsed<DelegationEntry> parse_delegated(std::string_view text) {
  Parsed<DelegationEntry> out;
  for_each_data_line(text, out.skipped, [&](size_t n, std::string_view line) {
    auto f = split(line, '|');
    // Version line "2|apnic|20080101|..." and summaries "apnic|*|ipv4|*|123|summary".
    if (f.size() < 7 || (f.size() >= 6 && trim(f[5]) == "summary") || trim(f[1]) == "*") {
      if (f.size() >= 6 || (!f.empty() && (trim(f[0]) == "2" || trim(f[0]) == "2.3"))) {
        ++out.skipped;
      } else {
        out.problems.push_back({n, "expected \"registry|cc|type|start|value|date|status\""});
      }
      return;
    }
    const std::string_view type = trim(f[2]);
    const std::string status = to_lower_ascii(trim(f[6]));
    if (type == "asn" || (status != "allocated" && status != "assigned")) {
      ++out.skipped;  // AS numbers, and space nobody holds (available, reserved)
      return;
    }
    auto ip = Ip::parse(trim(f[3]));
    if (!ip || (type == "ipv4") != ip->is_v4() || (type != "ipv4" && type != "ipv6")) {
      out.problems.push_back(
          {n, "bad start address \"" + std::string(f[3]) + "\" for type " + std::string(type)});
      return;
    }
    const std::string registry = to_lower_ascii(trim(f[0]));
    const std::string cc = upper(f[1]);
    if (type == "ipv4") {
      uint64_t count = 0;
      if (!to_int(f[4], count) || count == 0 || count > (uint64_t{1} << 32)) {
        out.problems.push_back({n, "bad address count \"" + std::string(f[4]) + "\""});
        return;
      }
      for (const auto& c : range_to_cidrs(ip->v4_value(), count))
        out.entries.push_back({c, registry, cc, status});
    } else {
      int len = -1;
      if (!to_int(f[4], len) || len < 0 || len > 128) {
        out.problems.push_back({n, "bad IPv6 prefix length \"" + std::string(f[4]) + "\""});
        return;
      }
      out.entries.push_back({Cidr(*ip, len), registry, cc, status});
    }
  });
  return out;
}

Parsed<AsNameEntry> parse_as2org(std::string_view text) {
  Parsed<AsNameEntry> out;
  // CAIDA: "# format:aut|changed|aut_name|org_id|opaque_id|source" then
  //        "# format:org_id|changed|name|country|source". Plain: "asn|name|country".
  enum class Section { kPlain, kAut, kOrg } section = Section::kPlain;
  struct Aut {
    uint32_t asn;
    std::string name;
    std::string org;
    size_t line;
  };
  std::vector<Aut> auts;
  std::map<std::string, std::pair<std::string, std::string>> orgs;  // org_id -> (name, country)
  size_t n = 0;
  for (auto line : split_lines(text)) {
    ++n;
    line = trim(line);
    if (line.empty()) continue;
    if (line[0] == '#') {
      if (line.find("format:aut|") != std::string_view::npos) section = Section::kAut;
      if (line.find("format:org_id|") != std::string_view::npos) section = Section::kOrg;
      ++out.skipped;
      continue;
    }
    auto f = split(line, '|');
    if (section == Section::kOrg) {
      if (f.size() < 4) {
        out.problems.push_back({n, "expected \"org_id|changed|name|country|source\""});
        continue;
      }
      orgs[std::string(trim(f[0]))] = {std::string(trim(f[2])), upper(f[3])};
      continue;
    }
    uint32_t asn = 0;
    if (section == Section::kAut) {
      if (f.size() < 4 || !to_int(f[0], asn)) {
        out.problems.push_back({n, "expected \"aut|changed|aut_name|org_id|opaque_id|source\""});
        continue;
      }
      auts.push_back({asn, std::string(trim(f[2])), std::string(trim(f[3])), n});
      continue;
    }
    std::string_view a = trim(f[0]);
    if (istarts_with(a, "AS")) a.remove_prefix(2);
    if (f.size() < 2 || !to_int(a, asn)) {
      out.problems.push_back({n, "expected \"asn|name|country\""});
      continue;
    }
    out.entries.push_back(
        {asn, std::string(trim(f[1])), f.size() > 2 ? upper(f[2]) : std::string()});
  }
  for (const auto& a : auts) {
    auto it = orgs.find(a.org);
    AsNameEntry e{a.asn, a.name, ""};
    if (it != orgs.end()) {
      e.name = it->second.first.empty() ? a.name : it->second.first;
      e.country = it->second.second;
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace kz::enrich
