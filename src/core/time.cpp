#include "core/time.h"

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>

#include "core/text.h"

namespace kz {

using std::chrono::seconds;

Time SystemClock::now() const {
  return std::chrono::time_point_cast<seconds>(std::chrono::system_clock::now());
}

Time FixedClock::now() const {
  std::lock_guard lock(mu_);
  return t_;
}
void FixedClock::set(Time t) {
  std::lock_guard lock(mu_);
  t_ = t;
}
void FixedClock::advance(seconds d) {
  std::lock_guard lock(mu_);
  t_ += d;
}

namespace {

std::mutex& tz_mutex() {
  static std::mutex mu;
  return mu;
}

// Runs f with the C library's zone set to `name`, restoring nothing: every caller sets it.
template <typename F>
auto with_zone(const std::string& name, F f) {
  std::lock_guard lock(tz_mutex());
  static std::string current;
  if (current != name) {
    setenv("TZ", name.c_str(), 1);
    tzset();
    current = name;
  }
  return f();
}

// A real calendar day with a four-digit year (no 31 April, 29 February only in leap years).
bool valid_date(int y, int m, int d) {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
         std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                     std::chrono::day{unsigned(d)}}
             .ok();
}

Time from_civil_utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  using namespace std::chrono;
  const sys_days days = year_month_day{year{y}, month{m}, day{d}};
  return Time{days.time_since_epoch()} + hours{hh} + minutes{mm} + seconds{ss};
}

bool read_int(std::string_view& s, int digits_min, int digits_max, int& out) {
  int n = 0;
  int v = 0;
  while (n < digits_max && n < static_cast<int>(s.size()) && s[n] >= '0' && s[n] <= '9') {
    v = v * 10 + (s[n] - '0');
    ++n;
  }
  if (n < digits_min) return false;
  out = v;
  s.remove_prefix(n);
  return true;
}

bool eat(std::string_view& s, char c) {
  if (!s.empty() && s[0] == c) {
    s.remove_prefix(1);
    return true;
  }
  return false;
}

void skip_ws(std::string_view& s) {
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
    s.remove_prefix(1);
}

int month_index(std::string_view name) {
  static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() < 3) return 0;
  for (int i = 0; i < 12; ++i) {
    if (iequals(name.substr(0, 3), kMonths[i])) return i + 1;
  }
  return 0;
}

std::optional<int> zone_offset_minutes(std::string_view z) {
  if (z.empty()) return 0;
  if (z[0] == '+' || z[0] == '-') {
    const int sign = z[0] == '-' ? -1 : 1;
    z.remove_prefix(1);
    int v = 0;
    std::string_view digits = z;
    if (!read_int(digits, 4, 4, v)) return std::nullopt;
    return sign * ((v / 100) * 60 + v % 100);
  }
  struct Named {
    const char* name;
    int minutes;
  };
  static const Named kNamed[] = {
      {"UT", 0},     {"UTC", 0},    {"GMT", 0},    {"Z", 0},      {"JST", 540},  {"KST", 540},
      {"CET", 60},   {"CEST", 120}, {"BST", 60},   {"EET", 120},  {"EEST", 180}, {"MSK", 180},
      {"EST", -300}, {"EDT", -240}, {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
      {"PST", -480}, {"PDT", -420}, {"HKT", 480},  {"SGT", 480},  {"AEST", 600}, {"IST", 330}};
  for (const auto& n : kNamed) {
    if (iequals(z, n.name)) return n.minutes;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Time> utc_time(int year, int month, int day, int hh, int mm, int ss) {
  if (!valid_date(year, month, day) || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60)
    return std::nullopt;
  return from_civil_utc(year, static_cast<unsigned>(month), static_cast<unsigned>(day), hh, mm, ss);
}

std::optional<Date> parse_date(std::string_view s) {
  int y = 0;
  int m = 0;
  int d = 0;
  if (!read_int(s, 4, 4, y) || !eat(s, '-') || !read_int(s, 1, 2, m) || !eat(s, '-') ||
      !read_int(s, 1, 2, d) || !s.empty()) {
    return std::nullopt;
  }
  if (!valid_date(y, m, d)) return std::nullopt;
  return Date{y, unsigned(m), unsigned(d)};
}

std::optional<Time> parse_iso8601(std::string_view text, const TimeZone& zone) {
  std::string_view s = trim(text);
  int y = 0;
  int mo = 0;
  int d = 0;
  if (!read_int(s, 4, 4, y) || !eat(s, '-') || !read_int(s, 2, 2, mo) || !eat(s, '-') ||
      !read_int(s, 2, 2, d)) {
    return std::nullopt;
  }
  if (!valid_date(y, mo, d)) return std::nullopt;
  if (s.empty()) return zone.local_midnight(y, mo, d);
  if (!eat(s, 'T') && !eat(s, ' ')) return std::nullopt;
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!read_int(s, 2, 2, hh) || !eat(s, ':') || !read_int(s, 2, 2, mm)) return std::nullopt;
  if (eat(s, ':') && !read_int(s, 2, 2, ss)) return std::nullopt;
  if (eat(s, '.')) {
    int frac = 0;
    if (!read_int(s, 1, 9, frac)) return std::nullopt;
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  const Time as_utc = from_civil_utc(y, mo, d, hh, mm, ss);
  if (s.empty()) {
    // Local time in the centre's zone: find the offset at that wall time.
    const auto off = zone.offset_at(as_utc);
    return as_utc - zone.offset_at(as_utc - off);
  }
  if (eat(s, 'Z') || eat(s, 'z')) return s.empty() ? std::optional<Time>(as_utc) : std::nullopt;
  const int sign = s[0] == '-' ? -1 : (s[0] == '+' ? 1 : 0);
  if (sign == 0) return std::nullopt;
  s.remove_prefix(1);
  int oh = 0;
  int om = 0;
  if (!read_int(s, 2, 2, oh)) return std::nullopt;
  eat(s, ':');
  if (!s.empty() && !read_int(s, 2, 2, om)) return std::nullopt;
  if (!s.empty()) return std::nullopt;
  // Every zone in use lies within -12:00 .. +14:00: "+99:00" is a typo, not a place.
  if (om > 59 || oh * 60 + om > 14 * 60) return std::nullopt;
  return as_utc - seconds{sign * (oh * 3600 + om * 60)};
}

std::optional<Time> parse_rfc2822(std::string_view text) {
  std::string_view s = trim(text);
  // Optional weekday "Tue,".
  const size_t comma = s.find(',');
  if (comma != std::string_view::npos && comma <= 10) s.remove_prefix(comma + 1);
  skip_ws(s);
  int d = 0;
  if (!read_int(s, 1, 2, d)) return std::nullopt;
  skip_ws(s);
  eat(s, '-');
  const int mo = month_index(s);
  if (mo == 0) return std::nullopt;
  while (!s.empty() && s[0] != ' ' && s[0] != '-') s.remove_prefix(1);
  eat(s, '-');
  skip_ws(s);
  int y = 0;
  std::string_view before = s;
  if (!read_int(s, 2, 4, y)) return std::nullopt;
  const size_t ydigits = before.size() - s.size();
  if (ydigits == 2) y += y < 50 ? 2000 : 1900;
  if (ydigits == 3) y += 1900;
  skip_ws(s);
  int hh = 0;
  int mm = 0;
  int ss = 0;
  if (!read_int(s, 1, 2, hh) || !eat(s, ':') || !read_int(s, 2, 2, mm)) return std::nullopt;
  if (eat(s, ':') && !read_int(s, 2, 2, ss)) return std::nullopt;
  skip_ws(s);
  std::string_view zone = s.substr(0, s.find_first_of(" \t("));
  auto off = zone_offset_minutes(zone);
  if (!off) off = 0;  // unknown zone names are taken as UTC (RFC 5322 says -0000)
  const auto local = utc_time(y, mo, d, hh, mm, ss);
  if (!local) return std::nullopt;
  return *local - std::chrono::minutes{*off};
}

std::optional<Time> parse_mbox_from_line(std::string_view line) {
  // "From sender Fri Jan 31 07:19:11 2014", sometimes with a zone before or after the year.
  if (!line.starts_with("From ")) return std::nullopt;
  // The first fields of the line, without allocating: it is read for every "From " line.
  std::array<std::string_view, 12> f;
  size_t fields = 0;
  std::string_view rest = trim(line);
  while (!rest.empty() && fields < f.size()) {
    const size_t sp = rest.find(' ');
    if (sp != 0) f[fields++] = rest.substr(0, sp);
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  for (size_t k = 2; k + 2 < fields; ++k) {
    if (f[k].size() != 3 || month_index(f[k]) == 0) continue;
    std::string_view dd = f[k + 1];
    std::string_view tt = f[k + 2];
    int d = 0;
    int hh = 0;
    int mm = 0;
    int ss = 0;
    if (!read_int(dd, 1, 2, d) || !dd.empty() || !read_int(tt, 1, 2, hh) || !eat(tt, ':') ||
        !read_int(tt, 2, 2, mm)) {
      continue;
    }
    if (eat(tt, ':')) read_int(tt, 2, 2, ss);
    for (size_t j = k + 3; j < fields && j <= k + 4; ++j) {
      std::string_view yy = f[j];
      int y = 0;
      if (!read_int(yy, 4, 4, y) || !yy.empty()) continue;
      const int mo = month_index(f[k]);
      if (!valid_date(y, mo, d)) return std::nullopt;
      return from_civil_utc(y, mo, d, hh, mm, ss);
    }
  }
  return std::nullopt;
}

std::string format_utc(Time t) {
  const std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

TimeZone::TimeZone(std::string name) : name_(std::move(name)) {}

seconds TimeZone::offset_at(Time t) const {
  return with_zone(name_, [&] {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    localtime_r(&tt, &tm);
    return seconds{tm.tm_gmtoff};
  });
}

Time TimeZone::local_midnight(int y, unsigned m, unsigned d) const {
  const Time as_utc = from_civil_utc(y, m, d, 0, 0, 0);
  const auto off = offset_at(as_utc);
  return as_utc - offset_at(as_utc - off);
}

std::string TimeZone::format_local(Time t) const {
  return with_zone(name_, [&] {
    const std::time_t tt = t.time_since_epoch().count();
    std::tm tm{};
    localtime_r(&tt, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %z", &tm);
    return std::string(buf);
  });
}

namespace {

std::optional<Time> read_clock_file(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return parse_iso8601(trim(line), TimeZone("UTC"));
}

}  // namespace

std::unique_ptr<FileClock> FileClock::open(const std::string& path) {
  auto t = read_clock_file(path);
  if (!t) return nullptr;
  return std::unique_ptr<FileClock>(new FileClock(path, *t));
}

Time FileClock::now() const {
  std::lock_guard lock(mu_);
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0) {
    const int64_t stamp =
        static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    if (stamp != stamp_ || st.st_size != size_) {
      if (auto t = read_clock_file(path_)) t_ = *t;
      stamp_ = stamp;
      size_ = st.st_size;
    }
  }
  return t_;
}

}  // namespace kz
