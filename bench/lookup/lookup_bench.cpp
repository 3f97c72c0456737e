// Lookup benchmark: kz::enrich::PrefixTable beside libmaxminddb on the same routing table and
// the same queries (what is measured and why: bench/lookup/README.md).
//
//   lookup_bench PFX2AS_FILE MMDB_FILE RANDOM_V4 CLUSTERED_V4 V6_QUERIES [--reps N] [--json PATH]
//
// PFX2AS_FILE: CAIDA prefix2as lines `prefix<TAB>length<TAB>origin` (IPv4 and IPv6 in one file;
// the origin's first number is the value). MMDB_FILE: the same prefixes as a GeoLite2-ASN-like
// database (make_mmdb.pl). RANDOM_V4, CLUSTERED_V4: little-endian uint32 IPv4 addresses.
// V6_QUERIES: 16-byte IPv6 addresses in network order.
//
// Prints a Markdown report on stdout; --json PATH also writes the figures as JSON. Each timed
// run is repeated N times (default 3) and the fastest counts; it runs on the calling thread
// only (pin it with taskset). Exit status 0 when both sides gave the same ASN for every sampled
// query and every full run's checksum agrees, 1 on a mismatch or a bad input.
#include <arpa/inet.h>
#include <malloc.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/ip.h"
#include "enrich/prefix_table.h"

namespace {

using Clock = std::chrono::steady_clock;
using V6Bytes = std::array<uint8_t, 16>;

constexpr size_t kSampleRandom = 40'000;
constexpr size_t kSampleClustered = 40'000;
constexpr size_t kSampleV6 = 20'000;
constexpr int kMaxMismatchesShown = 10;

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "lookup_bench: %s\n", msg.c_str());
  std::exit(1);
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// VmRSS / VmHWM from /proc/self/status, in bytes (0 when unavailable).
size_t proc_status_bytes(const char* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') {
      return std::strtoull(line.c_str() + n + 1, nullptr, 10) * 1024;
    }
  }
  return 0;
}

double mib(size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

std::string with_commas(uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

// --- the routing table ----------------------------------------------------------------
struct TableLoad {
  std::shared_ptr<const kz::enrich::PrefixTable> table;
  size_t v4 = 0, v6 = 0, skipped = 0;
  double load_s = 0, build_s = 0;
  size_t rss_before = 0, rss_after = 0, peak_rss = 0;
};

// The origin's first number: "13335", "13335_209242" (multi-origin), "13335,209242" (AS set).
std::optional<uint32_t> first_asn(std::string_view field) {
  size_t i = 0;
  while (i < field.size() && (field[i] < '0' || field[i] > '9')) ++i;
  if (i == field.size()) return std::nullopt;
  uint64_t v = 0;
  for (; i < field.size() && field[i] >= '0' && field[i] <= '9'; ++i) {
    v = v * 10 + static_cast<uint64_t>(field[i] - '0');
    if (v > UINT32_MAX) return std::nullopt;
  }
  return static_cast<uint32_t>(v);
}

TableLoad load_table(const std::string& path) {
  TableLoad r;
  r.rss_before = proc_status_bytes("VmRSS");
  auto t0 = Clock::now();
  {
    kz::enrich::PrefixTable::Builder builder;
    {
      const std::string text = read_file(path);
      std::string_view rest(text);
      while (!rest.empty()) {
        const size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line[0] == '#') continue;
        const size_t t1 = line.find('\t');
        const size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string_view::npos) {
          ++r.skipped;
          continue;
        }
        const auto ip = kz::Ip::parse(line.substr(0, t1));
        const std::string_view len_text = line.substr(t1 + 1, t2 - t1 - 1);
        int len = 0;
        bool len_ok = !len_text.empty() && len_text.size() <= 3;
        for (char c : len_text) {
          if (c < '0' || c > '9') len_ok = false;
          len = len * 10 + (c - '0');
        }
        const auto asn = first_asn(line.substr(t2 + 1));
        if (!ip || !len_ok || !asn || len > (ip->is_v4() ? 32 : 128)) {
          ++r.skipped;
          continue;
        }
        builder.add(kz::Cidr(*ip, len), *asn);
        ++(ip->is_v4() ? r.v4 : r.v6);
      }
    }
    r.load_s = seconds_since(t0);
    auto t1 = Clock::now();
    r.table = builder.build();
    r.build_s = seconds_since(t1);
  }
  r.peak_rss = proc_status_bytes("VmHWM");
  malloc_trim(0);  // hand the builder's freed heap back, so VmRSS shows what the table keeps
  r.rss_after = proc_status_bytes("VmRSS");
  return r;
}

// --- queries --------------------------------------------------------------------------
std::vector<uint32_t> read_v4(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.size() % 4 != 0) fail(path + " is not a whole number of 4-byte addresses");
  std::vector<uint32_t> out(bytes.size() / 4);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  if constexpr (std::endian::native == std::endian::big) {
    for (auto& v : out) v = __builtin_bswap32(v);
  }
  if (out.empty()) fail(path + " holds no addresses");
  return out;
}

std::vector<V6Bytes> read_v6(const std::string& path) {
  const std::string bytes = read_file(path);
  if (bytes.size() % 16 != 0) fail(path + " is not a whole number of 16-byte addresses");
  std::vector<V6Bytes> out(bytes.size() / 16);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  if (out.empty()) fail(path + " holds no addresses");
  return out;
}

// kz::Ip has no constructor from raw IPv6 bytes; go through the text form (untimed).
kz::Ip ip_from_v6(const V6Bytes& b) {
  char buf[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, b.data(), buf, sizeof buf);
  return *kz::Ip::parse(buf);
}

// --- the two sides ----------------------------------------------------------------------
// What a run adds up, so nothing is optimised away and both sides can be compared: the
// number of addresses found and the sum of (ASN + 1) over them.
struct Tally {
  uint64_t found = 0;
  uint64_t sum = 0;
  bool operator==(const Tally&) const = default;
};

class Mmdb {
 public:
  explicit Mmdb(const std::string& path) {
    const int st = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &db_);
    if (st != MMDB_SUCCESS) fail("MMDB_open " + path + ": " + MMDB_strerror(st));
    v4_.sin_family = AF_INET;
    v6_.sin6_family = AF_INET6;
  }
  ~Mmdb() { MMDB_close(&db_); }
  Mmdb(const Mmdb&) = delete;
  Mmdb& operator=(const Mmdb&) = delete;

  const MMDB_s& db() const { return db_; }

  // ASN + 1 for the address, 0 when the database has no network (or no ASN) for it.
  uint64_t asn1_v4(uint32_t host_order) {
    v4_.sin_addr.s_addr = htonl(host_order);
    return asn1(reinterpret_cast<const sockaddr*>(&v4_));
  }
  uint64_t asn1_v6(const V6Bytes& b) {
    std::memcpy(&v6_.sin6_addr, b.data(), 16);
    return asn1(reinterpret_cast<const sockaddr*>(&v6_));
  }
  // The tree walk alone, without decoding the record: whether a network was found.
  bool found_v4(uint32_t host_order) {
    v4_.sin_addr.s_addr = htonl(host_order);
    int err = MMDB_SUCCESS;
    const MMDB_lookup_result_s res =
        MMDB_lookup_sockaddr(&db_, reinterpret_cast<const sockaddr*>(&v4_), &err);
    if (err != MMDB_SUCCESS) fail(std::string("MMDB_lookup_sockaddr: ") + MMDB_strerror(err));
    return res.found_entry;
  }

 private:
  uint64_t asn1(const sockaddr* sa) {
    int err = MMDB_SUCCESS;
    MMDB_lookup_result_s res = MMDB_lookup_sockaddr(&db_, sa, &err);
    if (err != MMDB_SUCCESS) fail(std::string("MMDB_lookup_sockaddr: ") + MMDB_strerror(err));
    if (!res.found_entry) return 0;
    MMDB_entry_data_s data;
    const int st = MMDB_get_value(&res.entry, &data, "autonomous_system_number", nullptr);
    if (st != MMDB_SUCCESS || !data.has_data || data.type != MMDB_DATA_TYPE_UINT32) return 0;
    return uint64_t{data.uint32} + 1;
  }

  MMDB_s db_{};
  sockaddr_in v4_{};
  sockaddr_in6 v6_{};
};

uint64_t asn1(std::optional<uint32_t> v) { return v ? uint64_t{*v} + 1 : 0; }

// --- timing -----------------------------------------------------------------------------
struct Run {
  std::string key;    // for the JSON
  std::string label;  // for the table
  size_t queries = 0;
  double seconds = 0;  // fastest repetition
  Tally tally;
  std::string baseline;  // key of the libmaxminddb run it is compared with ("" for none)
  double rate() const { return static_cast<double>(queries) / seconds; }
};

Run timed(std::string key, std::string label, size_t queries, int reps,
          const std::function<Tally()>& body) {
  Run r{std::move(key), std::move(label), queries, 0, {}, ""};
  for (int i = 0; i < reps; ++i) {
    const auto t0 = Clock::now();
    const Tally t = body();
    const double s = seconds_since(t0);
    if (i == 0 || s < r.seconds) r.seconds = s;
    if (i > 0 && !(t == r.tally)) fail(r.label + ": repetitions disagree");
    r.tally = t;
  }
  std::fprintf(stderr, "lookup_bench: %-58s %12.0f lookups/s\n", r.label.c_str(), r.rate());
  return r;
}

// The loops are written out here (not behind std::function per query) so the compiler sees
// the whole hot path, as an application calling the table would.
Tally table_v4(const kz::enrich::PrefixTable& t, const std::vector<uint32_t>& qs) {
  Tally r;
  for (uint32_t q : qs) {
    const uint64_t v = asn1(t.lookup_v4(q));
    r.sum += v;
    r.found += v != 0;
  }
  return r;
}

Tally table_any(const kz::enrich::PrefixTable& t, const std::vector<kz::Ip>& qs) {
  Tally r;
  for (const kz::Ip& q : qs) {
    const uint64_t v = asn1(t.lookup(q));
    r.sum += v;
    r.found += v != 0;
  }
  return r;
}

Tally mmdb_v4(Mmdb& m, const std::vector<uint32_t>& qs) {
  Tally r;
  for (uint32_t q : qs) {
    const uint64_t v = m.asn1_v4(q);
    r.sum += v;
    r.found += v != 0;
  }
  return r;
}

Tally mmdb_v4_walk_only(Mmdb& m, const std::vector<uint32_t>& qs) {
  Tally r;
  for (uint32_t q : qs) r.found += m.found_v4(q);
  return r;
}

Tally mmdb_v6(Mmdb& m, const std::vector<V6Bytes>& qs) {
  Tally r;
  for (const V6Bytes& q : qs) {
    const uint64_t v = m.asn1_v6(q);
    r.sum += v;
    r.found += v != 0;
  }
  return r;
}

// --- verification -------------------------------------------------------------------------
struct Verification {
  size_t checked = 0;
  size_t mismatches = 0;
  size_t inconsistent = 0;  // lookup(Ip) and lookup_v4 disagree
  std::vector<std::string> examples;
};

template <typename T>
std::vector<size_t> sample_indexes(const std::vector<T>& v, size_t want) {
  std::vector<size_t> out;
  const size_t n = std::min(want, v.size());
  for (size_t i = 0; i < n; ++i) out.push_back(i * v.size() / n);
  return out;
}

std::string show(std::optional<uint32_t> v) { return v ? "AS" + std::to_string(*v) : "none"; }
std::string show1(uint64_t v) { return v ? "AS" + std::to_string(v - 1) : "none"; }

Verification verify(const kz::enrich::PrefixTable& t, Mmdb& m, const std::vector<uint32_t>& rnd,
                    const std::vector<uint32_t>& clu, const std::vector<V6Bytes>& v6,
                    const std::vector<kz::Ip>& v6ip) {
  Verification r;
  auto note = [&r](const std::string& what) {
    if (static_cast<int>(r.examples.size()) < kMaxMismatchesShown) r.examples.push_back(what);
  };
  auto check_v4 = [&](uint32_t q) {
    ++r.checked;
    const auto ours = t.lookup_v4(q);
    const kz::Ip ip = kz::Ip::v4(q);
    const auto generic = t.lookup(ip);
    const uint64_t theirs = m.asn1_v4(q);
    if (generic != ours) {
      ++r.inconsistent;
      note(ip.to_string() + ": lookup_v4 " + show(ours) + ", lookup(Ip) " + show(generic));
    }
    if (asn1(ours) != theirs) {
      ++r.mismatches;
      note(ip.to_string() + ": PrefixTable " + show(ours) + ", libmaxminddb " + show1(theirs));
    }
  };
  for (size_t i : sample_indexes(rnd, kSampleRandom)) check_v4(rnd[i]);
  for (size_t i : sample_indexes(clu, kSampleClustered)) check_v4(clu[i]);
  for (size_t i : sample_indexes(v6, kSampleV6)) {
    ++r.checked;
    const auto ours = t.lookup(v6ip[i]);
    const uint64_t theirs = m.asn1_v6(v6[i]);
    if (asn1(ours) != theirs) {
      ++r.mismatches;
      note(v6ip[i].to_string() + ": PrefixTable " + show(ours) + ", libmaxminddb " + show1(theirs));
    }
  }
  return r;
}

// --- report -----------------------------------------------------------------------------
// A JSON object written field by field; keys are plain identifiers.
class JsonObject {
 public:
  JsonObject& raw(std::string_view key, const std::string& value) {
    body_ += (body_.empty() ? "\n  " : ",\n  ") + quote(key) + ": " + value;
    return *this;
  }
  JsonObject& num(std::string_view key, uint64_t value) { return raw(key, std::to_string(value)); }
  JsonObject& str(std::string_view key, std::string_view value) { return raw(key, quote(value)); }
  std::string text() const { return "{" + body_ + "\n}"; }

 private:
  static std::string quote(std::string_view s) {
    std::string o = "\"";
    for (const char c : s) {
      if (c == '"' || c == '\\') {
        o += '\\';
        o += c;
      } else if (c == '\n') {
        o += "\\n";
      } else if (static_cast<unsigned char>(c) >= 0x20) {
        o += c;
      }
    }
    return o + "\"";
  }
  std::string body_;
};

const Run* find_run(const std::vector<Run>& runs, const std::string& key) {
  for (const auto& r : runs) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

struct Args {
  std::string pfx2as, mmdb, random_v4, clustered_v4, v6;
  int reps = 3;
  std::string json;
};

Args parse_args(int argc, char** argv) {
  Args a;
  std::vector<std::string> pos;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if ((s == "--reps" || s == "--json") && i + 1 < argc) {
      const std::string v = argv[++i];
      if (s == "--json") {
        a.json = v;
      } else {
        a.reps = std::atoi(v.c_str());
        if (a.reps < 1) fail("--reps must be at least 1");
      }
    } else if (s == "-h" || s == "--help") {
      std::printf(
          "usage: lookup_bench PFX2AS_FILE MMDB_FILE RANDOM_V4 CLUSTERED_V4 V6_QUERIES "
          "[--reps N] [--json PATH]\n");
      std::exit(0);
    } else if (s.rfind("--", 0) == 0) {
      fail("unknown option " + s + " (see --help)");
    } else {
      pos.push_back(s);
    }
  }
  if (pos.size() != 5) {
    fail(
        "usage: lookup_bench PFX2AS_FILE MMDB_FILE RANDOM_V4 CLUSTERED_V4 V6_QUERIES "
        "[--reps N] [--json PATH]");
  }
  a.pfx2as = pos[0];
  a.mmdb = pos[1];
  a.random_v4 = pos[2];
  a.clustered_v4 = pos[3];
  a.v6 = pos[4];
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);

  // 1. The table, built before anything else is loaded so the RSS figures are its own.
  const TableLoad tl = load_table(args.pfx2as);
  const kz::enrich::PrefixTable& table = *tl.table;
  if (tl.v4 + tl.v6 == 0) fail(args.pfx2as + " holds no prefix lines");
  std::fprintf(
      stderr,
      "lookup_bench: table of %zu IPv4 + %zu IPv6 lines loaded in %.2f s, built in %.2f s\n", tl.v4,
      tl.v6, tl.load_s, tl.build_s);

  // 2. The MMDB and the queries.
  const auto t_open = Clock::now();
  Mmdb mmdb(args.mmdb);
  const double open_s = seconds_since(t_open);
  const std::vector<uint32_t> rnd = read_v4(args.random_v4);
  const std::vector<uint32_t> clu = read_v4(args.clustered_v4);
  const std::vector<V6Bytes> v6 = read_v6(args.v6);
  std::vector<kz::Ip> v6ip;
  v6ip.reserve(v6.size());
  for (const auto& b : v6) v6ip.push_back(ip_from_v6(b));

  // 3. Verification first: a fast wrong answer is worth nothing.
  const Verification ver = verify(table, mmdb, rnd, clu, v6, v6ip);

  // 4. Timed runs, one thread.
  const int reps = args.reps;
  std::vector<Run> runs;
  const std::string nr = with_commas(rnd.size()), nc = with_commas(clu.size()),
                    n6 = with_commas(v6.size());
  runs.push_back(timed("table_random_v4", "PrefixTable::lookup_v4, random IPv4 (" + nr + ")",
                       rnd.size(), reps, [&] { return table_v4(table, rnd); }));
  runs.back().baseline = "mmdb_random_v4";
  runs.push_back(timed("table_clustered_v4", "PrefixTable::lookup_v4, clustered IPv4 (" + nc + ")",
                       clu.size(), reps, [&] { return table_v4(table, clu); }));
  runs.back().baseline = "mmdb_clustered_v4";
  runs.push_back(timed("table_v6", "PrefixTable::lookup, IPv6 (" + n6 + ")", v6.size(), reps,
                       [&] { return table_any(table, v6ip); }));
  runs.back().baseline = "mmdb_v6";
  runs.push_back(timed("mmdb_random_v4", "libmaxminddb, random IPv4 (" + nr + ")", rnd.size(), reps,
                       [&] { return mmdb_v4(mmdb, rnd); }));
  runs.push_back(timed("mmdb_clustered_v4", "libmaxminddb, clustered IPv4 (" + nc + ")", clu.size(),
                       reps, [&] { return mmdb_v4(mmdb, clu); }));
  runs.push_back(timed("mmdb_v6", "libmaxminddb, IPv6 (" + n6 + ")", v6.size(), reps,
                       [&] { return mmdb_v6(mmdb, v6); }));
  runs.push_back(timed("mmdb_walk_random_v4",
                       "libmaxminddb tree walk only, no ASN decoded, random IPv4 (" + nr + ")",
                       rnd.size(), reps, [&] { return mmdb_v4_walk_only(mmdb, rnd); }));
  runs.back().baseline = "mmdb_random_v4";

  // 5. Full-run checksums must agree as well as the sample.
  struct Pair {
    const char* what;
    const char* ours;
    const char* theirs;
  };
  const Pair pairs[] = {{"random IPv4", "table_random_v4", "mmdb_random_v4"},
                        {"clustered IPv4", "table_clustered_v4", "mmdb_clustered_v4"},
                        {"IPv6", "table_v6", "mmdb_v6"}};
  std::vector<std::string> checksum_lines;
  bool checksums_agree = true;
  for (const auto& p : pairs) {
    const Run* a = find_run(runs, p.ours);
    const Run* b = find_run(runs, p.theirs);
    const bool same = a->tally == b->tally;
    checksums_agree = checksums_agree && same;
    checksum_lines.push_back(
        std::string(p.what) + ": found " + with_commas(a->tally.found) + " / " +
        with_commas(a->queries) + ", checksum " + std::to_string(a->tally.sum) +
        " (PrefixTable) vs found " + with_commas(b->tally.found) + ", checksum " +
        std::to_string(b->tally.sum) + " (libmaxminddb): " + (same ? "same" : "DIFFERENT"));
  }
  const bool walk_found_agrees = find_run(runs, "mmdb_walk_random_v4")->tally.found >=
                                 find_run(runs, "mmdb_random_v4")->tally.found;
  const bool ok = ver.mismatches == 0 && ver.inconsistent == 0 && checksums_agree;

  // 6. The report.
  std::string md;
  auto line = [&md](const std::string& s) { md += s + "\n"; };
  line("| run | lookups/s | ratio to libmaxminddb | ns/lookup | found |");
  line("|---|---:|---:|---:|---:|");
  for (const auto& r : runs) {
    const Run* base = r.baseline.empty() ? nullptr : find_run(runs, r.baseline);
    const std::string ratio = base ? fixed(r.rate() / base->rate(), 1) + "x" : "1.0x";
    const double found_pct =
        100.0 * static_cast<double>(r.tally.found) / static_cast<double>(r.queries);
    line("| " + r.label + " | " + with_commas(static_cast<uint64_t>(r.rate())) + " | " + ratio +
         " | " + fixed(1e9 / r.rate(), 1) + " | " + fixed(found_pct, 1) + "% |");
  }
  line("");
  line("- Table: " + with_commas(table.size()) + " prefixes (" + with_commas(tl.v4) + " IPv4 and " +
       with_commas(tl.v6) + " IPv6 lines" +
       (tl.skipped ? ", " + with_commas(tl.skipped) + " lines skipped" : std::string()) + ")");
  line("- Build: " + fixed(tl.load_s, 2) + " s to read and parse the file and `Builder::add`, " +
       fixed(tl.build_s, 2) + " s in `Builder::build()`");
  line("- Memory: `memory_bytes()` " + fixed(mib(table.memory_bytes()), 1) + " MiB; RSS " +
       fixed(mib(tl.rss_before), 1) + " MiB before loading, " + fixed(mib(tl.rss_after), 1) +
       " MiB after building (builder freed, heap trimmed), peak " + fixed(mib(tl.peak_rss), 1) +
       " MiB while reading and building");
  line("- MMDB: " + std::string(mmdb.db().metadata.database_type) + ", " +
       with_commas(mmdb.db().metadata.node_count) + " nodes, record size " +
       std::to_string(mmdb.db().metadata.record_size) + " bits, " +
       fixed(static_cast<double>(mmdb.db().file_size) / 1e6, 1) + " MB, opened (mmap) in " +
       fixed(open_s * 1e3, 2) + " ms");
  line("- Verification: " + with_commas(ver.checked) + " sampled queries (" +
       with_commas(std::min(kSampleRandom, rnd.size())) + " random IPv4, " +
       with_commas(std::min(kSampleClustered, clu.size())) + " clustered IPv4, " +
       with_commas(std::min(kSampleV6, v6.size())) + " IPv6), " + with_commas(ver.mismatches) +
       " mismatches, " + with_commas(ver.inconsistent) +
       " where `lookup(Ip)` and `lookup_v4` differ; full-run checksums " +
       (checksums_agree ? "agree" : "DIFFER"));
  for (const auto& c : checksum_lines) line("  - " + c);
  for (const auto& e : ver.examples) line("  - mismatch: " + e);
  if (!walk_found_agrees) line("  - note: the tree walk alone found fewer networks than with ASNs");
  line("- Each figure is the fastest of " + std::to_string(reps) +
       " pass(es) over the query file on one thread; ratio = lookups/s over libmaxminddb's "
       "(MMDB_lookup_sockaddr + MMDB_get_value of autonomous_system_number) on the same queries.");
  std::fputs(md.c_str(), stdout);

  if (!args.json.empty()) {
    JsonObject j;
    j.raw("ok", ok ? "true" : "false")
        .num("prefixes", table.size())
        .num("v4_lines", tl.v4)
        .num("v6_lines", tl.v6)
        .num("skipped_lines", tl.skipped)
        .raw("load_seconds", fixed(tl.load_s, 4))
        .raw("build_seconds", fixed(tl.build_s, 4))
        .num("memory_bytes", table.memory_bytes())
        .num("rss_before_bytes", tl.rss_before)
        .num("rss_after_bytes", tl.rss_after)
        .num("peak_rss_bytes", tl.peak_rss)
        .num("mmdb_bytes", mmdb.db().file_size)
        .num("mmdb_node_count", mmdb.db().metadata.node_count)
        .num("verified", ver.checked)
        .num("mismatches", ver.mismatches)
        .num("inconsistent", ver.inconsistent)
        .raw("checksums_agree", checksums_agree ? "true" : "false")
        .num("reps", static_cast<uint64_t>(reps));
    std::string list;
    for (const Run& r : runs) {
      JsonObject o;
      o.str("key", r.key)
          .str("label", r.label)
          .num("queries", r.queries)
          .raw("seconds", fixed(r.seconds, 6))
          .raw("lookups_per_second", fixed(r.rate(), 0))
          .num("found", r.tally.found)
          .num("checksum", r.tally.sum)
          .str("baseline", r.baseline);
      list += (list.empty() ? "" : ",\n    ") + o.text();
    }
    j.raw("runs", "[\n    " + list + "\n  ]").str("markdown", md);
    std::ofstream out(args.json, std::ios::binary);
    out << j.text() << "\n";
    if (!out) fail("cannot write " + args.json);
  }

  if (!ok) {
    std::fprintf(stderr, "lookup_bench: FAILED: %zu mismatches, %zu inconsistent, checksums %s\n",
                 ver.mismatches, ver.inconsistent, checksums_agree ? "agree" : "differ");
    return 1;
  }
  return 0;
}
