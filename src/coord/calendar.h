// Business days for the responder scorecard ("business days from first notice to verified
// takedown", "remind after N business days"). A calendar says which local calendar days are
// business days: never Saturdays and Sundays; for Japan also the national holidays and, as an
// option, the year-end/new-year closure; on top of that the centre's own configuration (extra
// closures, and exceptions such as a Saturday worked).
//
// Japanese national holidays follow the Act on National Holidays (国民の祝日に関する法律) as
// amended, with its history, computed by rule rather than read from a table: the fixed days, the
// Happy Monday days (from 2000 and 2003), the equinoxes by the standard formula, substitute
// holidays (振替休日: the Monday before 2007, the next day that is not a holiday from 2007),
// citizens' holidays (国民の休日: a day between two holidays, from 1986), the Showa Day/Greenery
// Day change of 2007, Mountain Day from 2016, the Emperor's Birthday (Apr 29 to 1988, Dec 23
// 1989-2018, none in 2019, Feb 23 from 2020), the one-off days for imperial events (1989, 1990,
// 1993, 2019) and the Olympic moves of 2020 and 2021. They are computed for 1980..2099, the range
// the equinox formula is valid for; outside it a Japanese calendar knows weekends, the closure and
// its configuration only. The equinox dates are formally fixed each February for the next year;
// the computed lists match the Cabinet Office's published ones for every year 1980-2027.
//
// Thread-safety: a calendar is a value; const member functions may be called concurrently.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"

namespace kz::coord {

// A national holiday and its Japanese name ("春分の日", "振替休日", "国民の休日", ...).
struct Holiday {
  Date date;
  std::string_view name;  // a literal: valid for the life of the program
};

// The Japanese national holidays of `year` in date order (substitute and citizens' holidays
// included); empty outside 1980..2099.
std::vector<Holiday> japanese_holidays(int year);

class BusinessCalendar {
 public:
  // The years for which Japanese national holidays are computed.
  static constexpr int kFirstHolidayYear = 1980;
  static constexpr int kLastHolidayYear = 2099;

  // Japan: weekends and national holidays are closed, and with `year_end_closure` also
  // Dec 29 - Jan 3 (most Japanese organisations, JPCERT/CC included, close then).
  static BusinessCalendar japan(bool year_end_closure = true);
  // Weekends only, no holidays (for centres elsewhere; add their closures with add_holiday).
  static BusinessCalendar weekends_only();

  // Configuration. A configured day overrides everything else; for a day configured both ways
  // the later call wins. Invalid dates (2026-02-30) are ignored.
  void add_holiday(Date d);  // an extra closure
  void add_workday(Date d);  // an exception: a Saturday worked, a holiday worked
  // Applies a configuration list such as {"2026-12-28", "!2026-11-21"}: "YYYY-MM-DD" is an extra
  // closure, "!YYYY-MM-DD" a day worked; surrounding blanks are ignored. On a malformed entry
  // nothing at all is applied and the message names the entry.
  std::optional<std::string> configure(const std::vector<std::string>& entries);

  // Whether `d` is a national holiday of this calendar (never for weekends_only(); configured
  // days and the year-end closure are not national holidays).
  bool is_holiday(Date d) const;
  // The Japanese name of the national holiday on `d`, nullopt when `d` is none.
  std::optional<std::string_view> holiday_name(Date d) const;
  // This calendar's national holidays of `year` (empty for weekends_only()).
  std::vector<Holiday> holidays(int year) const;
  // Whether `d` falls in the year-end/new-year closure (Dec 29 - Jan 3) and this calendar has it.
  bool is_year_end_closure(Date d) const;
  // Whether the centre works on `d`: a configured workday, or else not a configured holiday, a
  // weekend, a national holiday or the year-end closure. False for an invalid date.
  bool is_business_day(Date d) const;

  // Business days elapsed from `a` to `b`, days taken in `zone` local time: for each business day,
  // the fraction of that whole local day (24 h, or 23/25 h on a DST change) lying between a and b.
  // A notice at 18:00 Friday and a takedown at 06:00 the next Tuesday, Monday a holiday, is
  // 0.25 + 0.25 = 0.5 business days. 0 when b <= a.
  double business_days_between(Time a, Time b, const TimeZone& zone) const;
  // The instant `n` business days after `t`: the same local wall-clock time on the n-th business
  // day after t's local date (so from a business day, business_days_between(t, result) == n).
  // From a Saturday, 1 business day is Monday at the same time. Negative n counts backwards; 0
  // returns t.
  Time add_business_days(Time t, int n, const TimeZone& zone) const;

 private:
  BusinessCalendar(bool national_holidays, bool year_end_closure)
      : national_holidays_(national_holidays), year_end_closure_(year_end_closure) {}

  bool is_business_day(std::chrono::sys_days d) const;

  bool national_holidays_;
  bool year_end_closure_;
  std::set<std::chrono::sys_days> extra_holidays_;
  std::set<std::chrono::sys_days> extra_workdays_;
};

}  // namespace kz::coord
