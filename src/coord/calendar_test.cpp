#include "coord/calendar.h"

#include <gtest/gtest.h>

#include <string>

namespace kz::coord {

namespace {

Date date(std::string_view s) {
  const auto d = parse_date(s);
  EXPECT_TRUE(d) << s;
  return d.value_or(Date{1970, 1, 1});
}

Time at(std::string_view s, const TimeZone& zone) {
  const auto t = parse_iso8601(s, zone);
  EXPECT_TRUE(t) << s;
  return t.value_or(Time{});
}

// "1/1 1/14 ..." for the Japanese national holidays of `year`: compares and prints well.
std::string holiday_list(int year) {
  std::string out;
  for (const Holiday& h : japanese_holidays(year)) {
    if (!out.empty()) out += ' ';
    out += std::to_string(h.date.month) + "/" + std::to_string(h.date.day);
  }
  return out;
}

std::string name(const BusinessCalendar& cal, std::string_view d) {
  return std::string(cal.holiday_name(date(d)).value_or("-"));
}

const TimeZone kTokyo("Asia/Tokyo");

}  // namespace

TEST(BusinessCalendar, Year2008MatchesTheCabinetOfficeList) {
  EXPECT_EQ(holiday_list(2008),
            "1/1 1/14 2/11 3/20 4/29 5/3 5/4 5/5 5/6 7/21 9/15 9/23 10/13 11/3 11/23 11/24 12/23");
  const auto cal = BusinessCalendar::japan();
  EXPECT_EQ(name(cal, "2008-01-14"), "成人の日");
  EXPECT_EQ(name(cal, "2008-04-29"), "昭和の日");
  EXPECT_EQ(name(cal, "2008-05-04"), "みどりの日");
  EXPECT_EQ(name(cal, "2008-05-06"),
            "振替休日");  // for Sunday May 4: the next day that is no holiday
  EXPECT_EQ(name(cal, "2008-07-21"), "海の日");
  EXPECT_EQ(name(cal, "2008-09-15"), "敬老の日");
  EXPECT_EQ(name(cal, "2008-10-13"), "体育の日");
  EXPECT_EQ(name(cal, "2008-11-24"), "振替休日");
  EXPECT_EQ(name(cal, "2008-12-23"), "天皇誕生日");
  EXPECT_FALSE(cal.is_holiday(date("2008-05-07")));
  EXPECT_FALSE(cal.holiday_name(date("2008-06-16")));
}

TEST(BusinessCalendar, Year2026MatchesTheCabinetOfficeList) {
  EXPECT_EQ(
      holiday_list(2026),
      "1/1 1/12 2/11 2/23 3/20 4/29 5/3 5/4 5/5 5/6 7/20 8/11 9/21 9/22 9/23 10/12 11/3 11/23");
  const auto cal = BusinessCalendar::japan();
  EXPECT_EQ(name(cal, "2026-02-23"), "天皇誕生日");
  EXPECT_EQ(name(cal, "2026-03-20"), "春分の日");
  EXPECT_EQ(name(cal, "2026-05-06"), "振替休日");  // for Sunday May 3, past May 4 and 5
  EXPECT_EQ(name(cal, "2026-09-22"), "国民の休日");
  EXPECT_EQ(name(cal, "2026-09-23"), "秋分の日");
  EXPECT_EQ(name(cal, "2026-10-12"), "スポーツの日");
  EXPECT_EQ(cal.holidays(2026).size(), 18u);
}

// Whole years from the Cabinet Office list (syukujitsu.csv), chosen for their special cases.
TEST(BusinessCalendar, MoreYearsMatchTheCabinetOfficeList) {
  struct Year {
    int year;
    const char* list;
  };
  const Year kYears[] = {
      // Sunday substitutes only on Monday; May 4 a citizens' holiday; the enthronement ceremony.
      {1990,
       "1/1 1/15 2/11 2/12 3/21 4/29 4/30 5/3 5/4 5/5 9/15 9/23 9/24 10/10 11/3 11/12 11/23 12/23 "
       "12/24"},
      {1993, "1/1 1/15 2/11 3/20 4/29 5/3 5/4 5/5 6/9 9/15 9/23 10/10 10/11 11/3 11/23 12/23"},
      // The first Marine Day; May 4 1997 a Sunday, so no citizens' holiday before 2007.
      {1996,
       "1/1 1/15 2/11 2/12 3/20 4/29 5/3 5/4 5/5 5/6 7/20 9/15 9/16 9/23 10/10 11/3 11/4 11/23 "
       "12/23"},
      {1997, "1/1 1/15 2/11 3/20 4/29 5/3 5/5 7/20 7/21 9/15 9/23 10/10 11/3 11/23 11/24 12/23"},
      // The first Happy Mondays (Coming of Age, Health-Sports Day).
      {2000, "1/1 1/10 2/11 3/20 4/29 5/3 5/4 5/5 7/20 9/15 9/23 10/9 11/3 11/23 12/23"},
      {2002,
       "1/1 1/14 2/11 3/21 4/29 5/3 5/4 5/5 5/6 7/20 9/15 9/16 9/23 10/14 11/3 11/4 11/23 12/23"},
      // Marine Day and Respect for the Aged Day move to Mondays.
      {2003, "1/1 1/13 2/11 3/21 4/29 5/3 5/5 7/21 9/15 9/23 10/13 11/3 11/23 11/24 12/23"},
      {2006, "1/1 1/2 1/9 2/11 3/21 4/29 5/3 5/4 5/5 7/17 9/18 9/23 10/9 11/3 11/23 12/23"},
      {2007,
       "1/1 1/8 2/11 2/12 3/21 4/29 4/30 5/3 5/4 5/5 7/16 9/17 9/23 9/24 10/8 11/3 11/23 12/23 "
       "12/24"},
      {2009, "1/1 1/12 2/11 3/20 4/29 5/3 5/4 5/5 5/6 7/20 9/21 9/22 9/23 10/12 11/3 11/23 12/23"},
      {2015, "1/1 1/12 2/11 3/21 4/29 5/3 5/4 5/5 5/6 7/20 9/21 9/22 9/23 10/12 11/3 11/23 12/23"},
      {2016, "1/1 1/11 2/11 3/20 3/21 4/29 5/3 5/4 5/5 7/18 8/11 9/19 9/22 10/10 11/3 11/23 12/23"},
      {2018,
       "1/1 1/8 2/11 2/12 3/21 4/29 4/30 5/3 5/4 5/5 7/16 8/11 9/17 9/23 9/24 10/8 11/3 11/23 "
       "12/23 12/24"},
      {2019,
       "1/1 1/14 2/11 3/21 4/29 4/30 5/1 5/2 5/3 5/4 5/5 5/6 7/15 8/11 8/12 9/16 9/23 10/14 10/22 "
       "11/3 11/4 11/23"},
      {2020,
       "1/1 1/13 2/11 2/23 2/24 3/20 4/29 5/3 5/4 5/5 5/6 7/23 7/24 8/10 9/21 9/22 11/3 11/23"},
      {2021, "1/1 1/11 2/11 2/23 3/20 4/29 5/3 5/4 5/5 7/22 7/23 8/8 8/9 9/20 9/23 11/3 11/23"},
      {2024,
       "1/1 1/8 2/11 2/12 2/23 3/20 4/29 5/3 5/4 5/5 5/6 7/15 8/11 8/12 9/16 9/22 9/23 10/14 11/3 "
       "11/4 11/23"},
      {2025,
       "1/1 1/13 2/11 2/23 2/24 3/20 4/29 5/3 5/4 5/5 5/6 7/21 8/11 9/15 9/23 10/13 11/3 11/23 "
       "11/24"},
      {2027, "1/1 1/11 2/11 2/23 3/21 3/22 4/29 5/3 5/4 5/5 7/19 8/11 9/20 9/23 10/11 11/3 11/23"},
  };
  for (const Year& y : kYears) EXPECT_EQ(holiday_list(y.year), y.list) << y.year;
}

TEST(BusinessCalendar, CitizensHolidays) {
  const auto cal = BusinessCalendar::japan();
  EXPECT_EQ(name(cal, "2009-09-22"), "国民の休日");
  EXPECT_EQ(name(cal, "2015-09-22"), "国民の休日");
  EXPECT_EQ(name(cal, "1988-05-04"), "国民の休日");  // the first one
  EXPECT_EQ(name(cal, "2006-05-04"), "国民の休日");  // the last May 4 of its kind
  EXPECT_EQ(name(cal, "1987-05-04"), "振替休日");    // May 3 was a Sunday
  EXPECT_FALSE(cal.is_holiday(date("2003-05-04")));  // a Sunday: excluded before 2007
  EXPECT_FALSE(cal.is_holiday(date("1985-05-04")));  // before the 1985 amendment took effect
}

TEST(BusinessCalendar, SubstituteHolidaysBeforeAndAfter2007) {
  const auto cal = BusinessCalendar::japan();
  EXPECT_EQ(name(cal, "2006-01-02"), "振替休日");  // Jan 1 on a Sunday
  EXPECT_EQ(name(cal, "2001-12-24"), "振替休日");
  EXPECT_EQ(name(cal, "2019-05-06"), "振替休日");  // Sunday May 5
  EXPECT_EQ(name(cal, "2024-09-23"), "振替休日");  // Sunday equinox
  EXPECT_EQ(name(cal, "2020-05-06"), "振替休日");  // Sunday May 3, two days on
  EXPECT_EQ(name(cal, "2021-08-09"), "振替休日");  // the moved Mountain Day fell on a Sunday
  EXPECT_FALSE(cal.is_holiday(date("2020-05-07")));
}

TEST(BusinessCalendar, GoldenWeek2019IsTenDays) {
  const auto cal = BusinessCalendar::japan();
  EXPECT_TRUE(cal.is_business_day(date("2019-04-26")));
  for (unsigned d = 27; d <= 30; ++d)
    EXPECT_FALSE(cal.is_business_day(Date{2019, 4, d})) << "Apr " << d;
  for (unsigned d = 1; d <= 6; ++d)
    EXPECT_FALSE(cal.is_business_day(Date{2019, 5, d})) << "May " << d;
  EXPECT_TRUE(cal.is_business_day(date("2019-05-07")));
  EXPECT_EQ(name(cal, "2019-04-30"), "国民の休日");
  EXPECT_EQ(name(cal, "2019-05-01"), "天皇の即位の日");
  EXPECT_EQ(name(cal, "2019-05-02"), "国民の休日");
  EXPECT_EQ(name(cal, "2019-10-22"), "即位礼正殿の儀の行われる日");
}

TEST(BusinessCalendar, OlympicMoves) {
  const auto cal = BusinessCalendar::japan();
  EXPECT_EQ(name(cal, "2020-07-23"), "海の日");
  EXPECT_EQ(name(cal, "2020-07-24"), "スポーツの日");
  EXPECT_EQ(name(cal, "2020-08-10"), "山の日");
  EXPECT_EQ(name(cal, "2021-07-22"), "海の日");
  EXPECT_EQ(name(cal, "2021-07-23"), "スポーツの日");
  EXPECT_EQ(name(cal, "2021-08-08"), "山の日");
  // The usual days were ordinary days in those years.
  for (const char* d :
       {"2020-07-20", "2020-08-11", "2020-10-12", "2021-07-19", "2021-08-11", "2021-10-11"}) {
    EXPECT_FALSE(cal.is_holiday(date(d))) << d;
    EXPECT_TRUE(cal.is_business_day(date(d))) << d;
  }
}

TEST(BusinessCalendar, HistoricalDates) {
  const auto cal = BusinessCalendar::japan();
  // Marine Day: none before 1996, July 20 until 2002, the third Monday from 2003.
  EXPECT_FALSE(cal.is_holiday(date("1995-07-20")));
  EXPECT_EQ(name(cal, "2002-07-20"), "海の日");
  EXPECT_FALSE(cal.is_holiday(date("2003-07-20")));
  EXPECT_EQ(name(cal, "2003-07-21"), "海の日");
  // Respect for the Aged Day: September 15 until 2002.
  EXPECT_EQ(name(cal, "2002-09-15"), "敬老の日");
  EXPECT_EQ(name(cal, "2004-09-20"), "敬老の日");
  EXPECT_FALSE(cal.is_holiday(date("2004-09-15")));
  // Coming of Age Day and Health-Sports Day: Mondays from 2000.
  EXPECT_EQ(name(cal, "1999-01-15"), "成人の日");
  EXPECT_EQ(name(cal, "2000-01-10"), "成人の日");
  EXPECT_FALSE(cal.is_holiday(date("2000-01-15")));
  EXPECT_EQ(name(cal, "1999-10-10"), "体育の日");
  EXPECT_EQ(name(cal, "2019-10-14"), "体育の日");
  EXPECT_EQ(name(cal, "2022-10-10"), "スポーツの日");
  // The Emperor's Birthday and the 2007 change of Showa Day and Greenery Day.
  EXPECT_EQ(name(cal, "1988-04-29"), "天皇誕生日");
  EXPECT_EQ(name(cal, "1989-04-29"), "みどりの日");
  EXPECT_EQ(name(cal, "2006-04-29"), "みどりの日");
  EXPECT_EQ(name(cal, "2007-04-29"), "昭和の日");
  EXPECT_EQ(name(cal, "2007-05-04"), "みどりの日");
  EXPECT_EQ(name(cal, "2018-12-23"), "天皇誕生日");
  EXPECT_FALSE(cal.is_holiday(date("2019-02-23")));
  EXPECT_FALSE(cal.is_holiday(date("2019-12-23")));
  EXPECT_EQ(name(cal, "2020-02-23"), "天皇誕生日");
  // Mountain Day from 2016.
  EXPECT_FALSE(cal.is_holiday(date("2015-08-11")));
  EXPECT_EQ(name(cal, "2016-08-11"), "山の日");
  // Imperial one-offs.
  EXPECT_EQ(name(cal, "1989-02-24"), "昭和天皇の大喪の礼");
  EXPECT_EQ(name(cal, "1990-11-12"), "即位礼正殿の儀");
  EXPECT_EQ(name(cal, "1993-06-09"), "皇太子徳仁親王の結婚の儀");
}

TEST(BusinessCalendar, Equinoxes) {
  const auto cal = BusinessCalendar::japan();
  for (const char* d : {"1980-03-20", "1999-03-21", "2000-03-20", "2010-03-21", "2016-03-20",
                        "2023-03-21", "2024-03-20", "2027-03-21"}) {
    EXPECT_EQ(name(cal, d), "春分の日") << d;
  }
  for (const char* d : {"1980-09-23", "2012-09-22", "2016-09-22", "2020-09-22", "2023-09-23",
                        "2024-09-22", "2027-09-23"}) {
    EXPECT_EQ(name(cal, d), "秋分の日") << d;
  }
  // The formula's famous first March 19 (2092), well ahead of any announcement.
  EXPECT_EQ(name(cal, "2092-03-19"), "春分の日");
  EXPECT_FALSE(cal.is_holiday(date("2092-03-20")));
  // Every year in range has both.
  for (int y = BusinessCalendar::kFirstHolidayYear; y <= BusinessCalendar::kLastHolidayYear; ++y) {
    int equinoxes = 0;
    for (const Holiday& h : japanese_holidays(y))
      equinoxes += h.name == "春分の日" || h.name == "秋分の日";
    EXPECT_EQ(equinoxes, 2) << y;
  }
}

TEST(BusinessCalendar, RangeOfComputedHolidays) {
  EXPECT_TRUE(japanese_holidays(1979).empty());
  EXPECT_TRUE(japanese_holidays(2100).empty());
  EXPECT_FALSE(japanese_holidays(2099).empty());
  const auto cal = BusinessCalendar::japan(false);
  EXPECT_TRUE(
      cal.is_business_day(date("2100-01-01")));  // a Friday: outside the range only weekends count
  EXPECT_FALSE(cal.is_business_day(date("2100-01-02")));
}

TEST(BusinessCalendar, YearEndClosureIsAnOption) {
  const auto closed = BusinessCalendar::japan();
  const auto open = BusinessCalendar::japan(/*year_end_closure=*/false);
  for (const char* d : {"2026-12-29", "2026-12-30", "2026-12-31", "2027-01-02"}) {
    EXPECT_FALSE(closed.is_business_day(date(d))) << d;
    EXPECT_FALSE(closed.is_holiday(date(d))) << d;  // a closure, not a national holiday
    EXPECT_TRUE(closed.is_year_end_closure(date(d))) << d;
  }
  EXPECT_TRUE(closed.is_business_day(date("2026-12-28")));
  EXPECT_TRUE(closed.is_business_day(date("2027-01-04")));
  EXPECT_TRUE(open.is_business_day(date("2026-12-29")));
  EXPECT_TRUE(open.is_business_day(date("2026-12-31")));
  EXPECT_FALSE(open.is_business_day(date("2027-01-01")));  // New Year's Day stays a holiday
  EXPECT_FALSE(open.is_year_end_closure(date("2026-12-30")));
}

TEST(BusinessCalendar, WeekendsOnly) {
  auto cal = BusinessCalendar::weekends_only();
  EXPECT_TRUE(cal.is_business_day(date("2026-01-01")));
  EXPECT_TRUE(cal.is_business_day(date("2026-12-29")));
  EXPECT_TRUE(cal.is_business_day(date("2019-05-01")));
  EXPECT_FALSE(cal.is_holiday(date("2026-01-01")));
  EXPECT_FALSE(cal.holiday_name(date("2026-01-01")));
  EXPECT_TRUE(cal.holidays(2026).empty());
  EXPECT_FALSE(cal.is_business_day(date("2026-01-03")));  // Saturday
  EXPECT_FALSE(cal.is_business_day(date("2026-01-04")));  // Sunday
  cal.add_holiday(date("2026-12-25"));
  EXPECT_FALSE(cal.is_business_day(date("2026-12-25")));
}

TEST(BusinessCalendar, ConfiguredDaysOverrideTheRules) {
  auto cal = BusinessCalendar::japan();
  cal.add_workday(date("2026-11-21"));  // a Saturday worked
  cal.add_workday(date("2026-11-23"));  // a holiday worked
  cal.add_holiday(date("2026-12-28"));  // the office closes a day early
  EXPECT_TRUE(cal.is_business_day(date("2026-11-21")));
  EXPECT_TRUE(cal.is_business_day(date("2026-11-23")));
  EXPECT_TRUE(cal.is_holiday(date("2026-11-23")));  // still a national holiday, just worked
  EXPECT_FALSE(cal.is_business_day(date("2026-12-28")));
  EXPECT_FALSE(cal.is_holiday(date("2026-12-28")));
  // The later call wins.
  cal.add_holiday(date("2026-11-21"));
  EXPECT_FALSE(cal.is_business_day(date("2026-11-21")));
  cal.add_workday(date("2026-12-28"));
  EXPECT_TRUE(cal.is_business_day(date("2026-12-28")));
  // Invalid dates are ignored and are never business days.
  cal.add_workday(Date{2026, 2, 30});
  EXPECT_FALSE(cal.is_business_day(Date{2026, 2, 30}));
  EXPECT_FALSE(cal.is_holiday(Date{2026, 13, 1}));
}

TEST(BusinessCalendar, Configure) {
  auto cal = BusinessCalendar::japan();
  EXPECT_EQ(cal.configure({"2026-12-28", " !2026-11-21 ", "! 2026-11-23"}), std::nullopt);
  EXPECT_FALSE(cal.is_business_day(date("2026-12-28")));
  EXPECT_TRUE(cal.is_business_day(date("2026-11-21")));
  EXPECT_TRUE(cal.is_business_day(date("2026-11-23")));

  auto other = BusinessCalendar::japan();
  const auto error = other.configure({"2026-12-28", "2026-13-01"});
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("\"2026-13-01\""), std::string::npos) << *error;
  EXPECT_TRUE(other.is_business_day(date("2026-12-28"))) << "nothing is applied after an error";
  EXPECT_TRUE(other.configure({""}));
  EXPECT_TRUE(other.configure({"!"}));
  EXPECT_TRUE(other.configure({"28/12/2026"}));
  EXPECT_TRUE(other.configure({"2026-02-29"}));
  EXPECT_EQ(other.configure({}), std::nullopt);
}

TEST(BusinessCalendar, BusinessDaysBetween) {
  const auto cal = BusinessCalendar::japan();
  // The header's example: Friday 18:00 to Tuesday 06:00, Monday (Marine Day) a holiday.
  EXPECT_DOUBLE_EQ(cal.business_days_between(at("2026-07-17 18:00", kTokyo),
                                             at("2026-07-21 06:00", kTokyo), kTokyo),
                   0.5);
  EXPECT_DOUBLE_EQ(cal.business_days_between(at("2026-07-14 09:00", kTokyo),
                                             at("2026-07-14 15:00", kTokyo), kTokyo),
                   0.25);
  EXPECT_DOUBLE_EQ(cal.business_days_between(at("2026-07-14 00:00", kTokyo),
                                             at("2026-07-15 00:00", kTokyo), kTokyo),
                   1.0);
  EXPECT_DOUBLE_EQ(cal.business_days_between(at("2026-07-14 12:00", kTokyo),
                                             at("2026-07-16 12:00", kTokyo), kTokyo),
                   2.0);
  // Inside a weekend, and backwards.
  EXPECT_EQ(cal.business_days_between(at("2026-07-18 01:00", kTokyo),
                                      at("2026-07-19 23:00", kTokyo), kTokyo),
            0);
  EXPECT_EQ(cal.business_days_between(at("2026-07-16 12:00", kTokyo),
                                      at("2026-07-14 12:00", kTokyo), kTokyo),
            0);
  // Across the ten-day Golden Week of 2019: noon Friday to noon Tuesday.
  EXPECT_DOUBLE_EQ(cal.business_days_between(at("2019-04-26 12:00", kTokyo),
                                             at("2019-05-07 12:00", kTokyo), kTokyo),
                   1.0);
  // Across the year-end closure, and without it (Dec 29-31 worked, Jan 1 a holiday, then a
  // weekend).
  const Time dec28 = at("2026-12-28 12:00", kTokyo);
  const Time jan4 = at("2027-01-04 12:00", kTokyo);
  EXPECT_DOUBLE_EQ(cal.business_days_between(dec28, jan4, kTokyo), 1.0);
  EXPECT_DOUBLE_EQ(BusinessCalendar::japan(false).business_days_between(dec28, jan4, kTokyo), 4.0);
  EXPECT_DOUBLE_EQ(BusinessCalendar::weekends_only().business_days_between(dec28, jan4, kTokyo),
                   5.0);
  // A whole year: 365 days - 104 weekend days - 17 weekday holidays - 4 weekday closure days.
  EXPECT_DOUBLE_EQ(
      cal.business_days_between(at("2026-01-01", kTokyo), at("2027-01-01", kTokyo), kTokyo), 240.0);
}

TEST(BusinessCalendar, BusinessDaysBetweenUsesTheGivenZone) {
  const auto cal = BusinessCalendar::weekends_only();
  const TimeZone utc("UTC");
  // Monday 06:00 to 12:00 in Tokyo is Sunday 21:00 to Monday 03:00 in UTC.
  const Time a = at("2026-07-20T06:00:00+09:00", kTokyo);
  const Time b = at("2026-07-20T12:00:00+09:00", kTokyo);
  EXPECT_DOUBLE_EQ(cal.business_days_between(a, b, kTokyo), 0.25);
  EXPECT_DOUBLE_EQ(cal.business_days_between(a, b, utc), 0.125);
  // A DST day is a 23-hour day: its first 12 local hours are 11 hours of 23.
  const TimeZone berlin("Europe/Berlin");
  auto worked = BusinessCalendar::weekends_only();
  worked.add_workday(date("2026-03-29"));  // the Sunday clocks go forward
  EXPECT_DOUBLE_EQ(worked.business_days_between(at("2026-03-29 00:00", berlin),
                                                at("2026-03-29 12:00", berlin), berlin),
                   11.0 / 23.0);
  EXPECT_DOUBLE_EQ(worked.business_days_between(at("2026-03-28 12:00", berlin),
                                                at("2026-03-30 00:00", berlin), berlin),
                   1.0);
}

TEST(BusinessCalendar, AddBusinessDays) {
  const auto cal = BusinessCalendar::japan();
  const Time friday = at("2026-07-17 10:00", kTokyo);
  EXPECT_EQ(cal.add_business_days(friday, 0, kTokyo), friday);
  EXPECT_EQ(cal.add_business_days(friday, 1, kTokyo),
            at("2026-07-21 10:00", kTokyo));  // past Marine Day
  EXPECT_EQ(cal.add_business_days(friday, 3, kTokyo), at("2026-07-23 10:00", kTokyo));
  EXPECT_EQ(cal.add_business_days(friday, -1, kTokyo), at("2026-07-16 10:00", kTokyo));
  // From a non-business day: the n-th business day after it.
  EXPECT_EQ(cal.add_business_days(at("2026-07-18 10:00", kTokyo), 1, kTokyo),
            at("2026-07-21 10:00", kTokyo));
  EXPECT_EQ(cal.add_business_days(at("2019-04-26 17:30", kTokyo), 1, kTokyo),
            at("2019-05-07 17:30", kTokyo));
  EXPECT_EQ(cal.add_business_days(at("2026-12-28 10:00", kTokyo), 1, kTokyo),
            at("2027-01-04 10:00", kTokyo));
  EXPECT_EQ(cal.add_business_days(at("2027-01-04 10:00", kTokyo), -1, kTokyo),
            at("2026-12-28 10:00", kTokyo));
  // A reminder after 3 business days from a notice the Friday before Silver Week 2026.
  EXPECT_EQ(cal.add_business_days(at("2026-09-18 16:00", kTokyo), 3, kTokyo),
            at("2026-09-28 16:00", kTokyo));
  // From a business day, business_days_between agrees.
  for (int n = 1; n <= 30; ++n) {
    EXPECT_DOUBLE_EQ(
        cal.business_days_between(friday, cal.add_business_days(friday, n, kTokyo), kTokyo), n)
        << n;
  }
  // Configured days count.
  auto configured = BusinessCalendar::japan();
  configured.add_workday(date("2026-07-20"));
  EXPECT_EQ(configured.add_business_days(friday, 1, kTokyo), at("2026-07-20 10:00", kTokyo));
}

TEST(BusinessCalendar, AddBusinessDaysKeepsTheWallClockAcrossDst) {
  const TimeZone berlin("Europe/Berlin");
  const auto cal = BusinessCalendar::weekends_only();
  // Friday before the spring change to Monday after it: still 09:00 local.
  EXPECT_EQ(cal.add_business_days(at("2026-03-27 09:00", berlin), 1, berlin),
            at("2026-03-30 09:00", berlin));
  EXPECT_EQ(berlin.format_local(cal.add_business_days(at("2026-03-27 09:00", berlin), 1, berlin)),
            "2026-03-30 09:00:00 +0200");
}

}  // namespace kz::coord
