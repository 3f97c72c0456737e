#include "coord/calendar.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace kz::coord {

namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

std::optional<sys_days> to_days(Date d) {
  const year_month_day ymd{std::chrono::year{d.year}, std::chrono::month{d.month},
                           std::chrono::day{d.day}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

Date to_date(sys_days d) {
  const year_month_day ymd{d};
  return Date{int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day())};
}

bool is_weekend(sys_days d) {
  const std::chrono::weekday w{d};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

// ---- Japanese national holidays ----------------------------------------------------------------

// One holiday within a year. Names are literals.
struct Entry {
  unsigned month;
  unsigned day;
  std::string_view name;
};

// The day of month of the n-th Monday of `month` (Happy Monday system).
unsigned nth_monday(int year, unsigned month, unsigned n) {
  const std::chrono::year_month_weekday ymw{std::chrono::year{year}, std::chrono::month{month},
                                            std::chrono::weekday_indexed{std::chrono::Monday, n}};
  return unsigned(year_month_day{sys_days{ymw}}.day());
}

// The equinox days by the standard formula (valid 1980-2099): the equinox drifts 0.242194 days
// a year and the leap day pulls it back every fourth year. (year - 1980) is never negative here,
// so integer division is the floor the formula asks for.
unsigned vernal_equinox(int year) {
  return unsigned(std::floor(20.8431 + 0.242194 * (year - 1980) - (year - 1980) / 4));
}
unsigned autumnal_equinox(int year) {
  return unsigned(std::floor(23.2488 + 0.242194 * (year - 1980) - (year - 1980) / 4));
}

// The national holidays proper (国民の祝日) of `year`, in no particular order: the days named in
// article 2 of the Act as it stood that year, and the days special laws made holidays. Substitute
// and citizens' holidays are derived from these.
std::vector<Entry> proper_holidays(int y) {
  std::vector<Entry> h;
  h.push_back({1, 1, "元日"});
  h.push_back({1, y < 2000 ? 15u : nth_monday(y, 1, 2), "成人の日"});
  h.push_back({2, 11, "建国記念の日"});
  if (y >= 2020) h.push_back({2, 23, "天皇誕生日"});
  h.push_back({3, vernal_equinox(y), "春分の日"});
  if (y <= 1988) {
    h.push_back({4, 29, "天皇誕生日"});
  } else if (y <= 2006) {
    h.push_back({4, 29, "みどりの日"});
  } else {
    // 2007: Apr 29 became Showa Day and Greenery Day moved to May 4, until then a citizens'
    // holiday.
    h.push_back({4, 29, "昭和の日"});
    h.push_back({5, 4, "みどりの日"});
  }
  h.push_back({5, 3, "憲法記念日"});
  h.push_back({5, 5, "こどもの日"});

  // Marine Day from 1996; the Olympic special measures moved it (and the next two) in 2020 and
  // 2021.
  if (y == 2020) {
    h.push_back({7, 23, "海の日"});
  } else if (y == 2021) {
    h.push_back({7, 22, "海の日"});
  } else if (y >= 2003) {
    h.push_back({7, nth_monday(y, 7, 3), "海の日"});
  } else if (y >= 1996) {
    h.push_back({7, 20, "海の日"});
  }
  if (y == 2020) {
    h.push_back({8, 10, "山の日"});
  } else if (y == 2021) {
    h.push_back({8, 8, "山の日"});
  } else if (y >= 2016) {
    h.push_back({8, 11, "山の日"});
  }
  h.push_back({9, y < 2003 ? 15u : nth_monday(y, 9, 3), "敬老の日"});
  h.push_back({9, autumnal_equinox(y), "秋分の日"});
  // Health-Sports Day became Sports Day in 2020.
  if (y == 2020) {
    h.push_back({7, 24, "スポーツの日"});
  } else if (y == 2021) {
    h.push_back({7, 23, "スポーツの日"});
  } else if (y >= 2020) {
    h.push_back({10, nth_monday(y, 10, 2), "スポーツの日"});
  } else {
    h.push_back({10, y < 2000 ? 10u : nth_monday(y, 10, 2), "体育の日"});
  }
  h.push_back({11, 3, "文化の日"});
  h.push_back({11, 23, "勤労感謝の日"});
  if (y >= 1989 && y <= 2018) h.push_back({12, 23, "天皇誕生日"});

  // One-off days made national holidays by special laws.
  if (y == 1989) h.push_back({2, 24, "昭和天皇の大喪の礼"});
  if (y == 1990) h.push_back({11, 12, "即位礼正殿の儀"});
  if (y == 1993) h.push_back({6, 9, "皇太子徳仁親王の結婚の儀"});
  if (y == 2019) {
    // Apr 30 and May 2 follow as citizens' holidays, giving the ten-day Golden Week.
    h.push_back({5, 1, "天皇の即位の日"});
    h.push_back({10, 22, "即位礼正殿の儀の行われる日"});
  }
  return h;
}

// All national holidays of `y` in date order (1980 <= y <= 2099).
std::vector<Entry> compute_year(int y) {
  std::vector<Entry> proper = proper_holidays(y);
  std::set<sys_days> proper_days;
  for (const Entry& e : proper) proper_days.insert(*to_days(Date{y, e.month, e.day}));
  const auto is_proper = [&](sys_days d) { return proper_days.contains(d); };

  std::vector<Entry> all = proper;
  std::set<sys_days> substitutes;
  // 振替休日 (article 3(2)): a holiday on a Sunday gives a day off. Until 2006 that was the Monday,
  // and only if the Monday was not itself a holiday; from 2007 it is the next day that is not one.
  for (const sys_days d : proper_days) {
    if (std::chrono::weekday{d} != std::chrono::Sunday) continue;
    sys_days s = d + days{1};
    if (y >= 2007) {
      while (is_proper(s)) s += days{1};
    } else if (is_proper(s)) {
      continue;
    }
    substitutes.insert(s);
  }
  // 国民の休日 (article 3(3), from 1986): a day that is no holiday itself, between two holidays
  // proper. Until 2006 the Act excluded Sundays and substitute holidays.
  std::set<sys_days> citizens;
  if (y >= 1986) {
    for (const sys_days d : proper_days) {
      const sys_days mid = d + days{1};
      if (!is_proper(mid) && is_proper(mid + days{1}) && !substitutes.contains(mid) &&
          (y >= 2007 || std::chrono::weekday{mid} != std::chrono::Sunday)) {
        citizens.insert(mid);
      }
    }
  }
  for (const sys_days d : substitutes) {
    const Date date = to_date(d);
    all.push_back({date.month, date.day, "振替休日"});
  }
  for (const sys_days d : citizens) {
    const Date date = to_date(d);
    all.push_back({date.month, date.day, "国民の休日"});
  }
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
    return a.month != b.month ? a.month < b.month : a.day < b.day;
  });
  return all;
}

// Every year's holidays, computed once on first use (a function-local static is initialised
// thread-safely) and never changed after: about 2,000 entries.
const std::vector<std::vector<Entry>>& holiday_table() {
  static const std::vector<std::vector<Entry>> table = [] {
    std::vector<std::vector<Entry>> t;
    for (int y = BusinessCalendar::kFirstHolidayYear; y <= BusinessCalendar::kLastHolidayYear;
         ++y) {
      t.push_back(compute_year(y));
    }
    return t;
  }();
  return table;
}

std::optional<std::string_view> japanese_holiday_name(Date d) {
  if (d.year < BusinessCalendar::kFirstHolidayYear || d.year > BusinessCalendar::kLastHolidayYear)
    return std::nullopt;
  for (const Entry& e : holiday_table()[d.year - BusinessCalendar::kFirstHolidayYear]) {
    if (e.month == d.month && e.day == d.day) return e.name;
  }
  return std::nullopt;
}

// ---- local days
// ----------------------------------------------------------------------------------

// The local calendar day containing instant t.
sys_days local_day(Time t, const TimeZone& zone) {
  return std::chrono::floor<days>(t + zone.offset_at(t));
}

Time local_midnight(sys_days d, const TimeZone& zone) {
  const Date date = to_date(d);
  return zone.local_midnight(date.year, date.month, date.day);
}

// The part of local day d lying between from and to, as a fraction of the whole day.
double day_fraction(sys_days d, Time from, Time to, const TimeZone& zone) {
  const Time start = local_midnight(d, zone);
  const Time end = local_midnight(d + days{1}, zone);
  if (end <= start) return 0;  // cannot happen with a sane zone; never divide by zero
  from = std::clamp(from, start, end);
  to = std::clamp(to, start, end);
  if (to <= from) return 0;
  return double((to - from).count()) / double((end - start).count());
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<Holiday> japanese_holidays(int year) {
  std::vector<Holiday> out;
  if (year < BusinessCalendar::kFirstHolidayYear || year > BusinessCalendar::kLastHolidayYear)
    return out;
  for (const Entry& e : holiday_table()[year - BusinessCalendar::kFirstHolidayYear]) {
    out.push_back({Date{year, e.month, e.day}, e.name});
  }
  return out;
}

BusinessCalendar BusinessCalendar::japan(bool year_end_closure) {
  return BusinessCalendar(true, year_end_closure);
}

BusinessCalendar BusinessCalendar::weekends_only() { return BusinessCalendar(false, false); }

void BusinessCalendar::add_holiday(Date d) {
  const auto days = to_days(d);
  if (!days) return;
  extra_workdays_.erase(*days);
  extra_holidays_.insert(*days);
}

void BusinessCalendar::add_workday(Date d) {
  const auto days = to_days(d);
  if (!days) return;
  extra_holidays_.erase(*days);
  extra_workdays_.insert(*days);
}

std::optional<std::string> BusinessCalendar::configure(const std::vector<std::string>& entries) {
  struct Parsed {
    Date date;
    bool workday;
  };
  std::vector<Parsed> parsed;
  // Everything is checked before anything is applied, so a typo leaves the calendar as it was.
  for (const std::string& entry : entries) {
    std::string_view s = trim_blanks(entry);
    const bool workday = !s.empty() && s.front() == '!';
    if (workday) s = trim_blanks(s.substr(1));
    const auto date = parse_date(s);
    if (!date) {
      return "calendar entry \"" + entry +
             "\" is not a date: expected YYYY-MM-DD for a closure or !YYYY-MM-DD for a day worked";
    }
    parsed.push_back({*date, workday});
  }
  for (const Parsed& p : parsed) {
    if (p.workday) {
      add_workday(p.date);
    } else {
      add_holiday(p.date);
    }
  }
  return std::nullopt;
}

bool BusinessCalendar::is_holiday(Date d) const { return holiday_name(d).has_value(); }

std::optional<std::string_view> BusinessCalendar::holiday_name(Date d) const {
  if (!national_holidays_) return std::nullopt;
  return japanese_holiday_name(d);
}

std::vector<Holiday> BusinessCalendar::holidays(int year) const {
  if (!national_holidays_) return {};
  return japanese_holidays(year);
}

bool BusinessCalendar::is_year_end_closure(Date d) const {
  return year_end_closure_ &&
         ((d.month == 12 && d.day >= 29 && d.day <= 31) || (d.month == 1 && d.day <= 3));
}

bool BusinessCalendar::is_business_day(Date d) const {
  const auto days = to_days(d);
  return days && is_business_day(*days);
}

bool BusinessCalendar::is_business_day(sys_days d) const {
  if (extra_workdays_.contains(d)) return true;
  if (extra_holidays_.contains(d)) return false;
  if (is_weekend(d)) return false;
  const Date date = to_date(d);
  return !is_year_end_closure(date) && !is_holiday(date);
}

double BusinessCalendar::business_days_between(Time a, Time b, const TimeZone& zone) const {
  if (b <= a) return 0;
  const sys_days first = local_day(a, zone);
  const sys_days last = local_day(b, zone);
  if (first == last) return is_business_day(first) ? day_fraction(first, a, b, zone) : 0;
  // Only the first and the last day can be partial; whole days in between count 1 each.
  double total = 0;
  if (is_business_day(first)) total += day_fraction(first, a, b, zone);
  for (sys_days d = first + days{1}; d < last; d += days{1}) {
    if (is_business_day(d)) total += 1;
  }
  if (is_business_day(last)) total += day_fraction(last, a, b, zone);
  return total;
}

Time BusinessCalendar::add_business_days(Time t, int n, const TimeZone& zone) const {
  if (n == 0) return t;
  const auto offset = zone.offset_at(t);
  sys_days d = std::chrono::floor<days>(t + offset);
  const std::chrono::seconds wall = (t + offset) - Time{d};  // local time of day
  const days step{n > 0 ? 1 : -1};
  // Terminates: configured days are finitely many and no rule closes every weekday.
  for (long long remaining = std::llabs(static_cast<long long>(n)); remaining > 0;) {
    d += step;
    if (is_business_day(d)) --remaining;
  }
  // The same wall-clock time on day d, converted back as parse_iso8601 does for local times.
  const Time as_utc = Time{d} + wall;
  return as_utc - zone.offset_at(as_utc - zone.offset_at(as_utc));
}

}  // namespace kz::coord
