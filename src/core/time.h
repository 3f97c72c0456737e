// Time inside Kizuna is UTC seconds (kz::Time). It is shown in the centre's zone (default
// Asia/Tokyo). The program reads the current time only through a Clock, so scripts and tests
// can replay days of work with `--now`.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kz {

using Time = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

// The real clock.
class SystemClock final : public Clock {
 public:
  Time now() const override;
};

// A clock fixed at one instant (`--now`, KIZUNA_NOW, tests). advance() moves it; thread-safe.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Time t) : t_(t) {}
  Time now() const override;
  void set(Time t);
  void advance(std::chrono::seconds d);

 private:
  mutable std::mutex mu_;
  Time t_;
};

// ISO 8601 as used on the command line and in JSON: "2008-04-15T10:00:00Z",
// "2008-04-15T10:00+09:00", "2008-04-15 10:00:00" (taken in `zone`), "2008-04-15"
// (midnight in `zone`). nullopt when unparsable.
class TimeZone;
std::optional<Time> parse_iso8601(std::string_view text, const TimeZone& zone);
// Internet message dates (RFC 5322 / 2822 and the common broken variants: missing weekday,
// two-digit years, named zones such as JST, CET, EST, a trailing "(CET)" comment).
std::optional<Time> parse_rfc2822(std::string_view text);
// The date of an mbox separator line "From addr Fri Jan 31 07:19:11 2014" (taken as UTC).
std::optional<Time> parse_mbox_from_line(std::string_view line);
// A calendar date and clock time read as UTC; nullopt when the day does not exist (four-digit
// years only; no 31 April, 29 February in leap years only) or the clock is past 23:59:60.
std::optional<Time> utc_time(int year, int month, int day, int hh, int mm, int ss);
// "2008-04-15T01:22:33Z".
std::string format_utc(Time t);

// A named IANA zone (from /usr/share/zoneinfo through the C library). The process has one
// centre zone; conversions are serialised because the C library keeps the zone globally.
class TimeZone {
 public:
  explicit TimeZone(std::string name = "Asia/Tokyo");
  const std::string& name() const { return name_; }
  // Offset from UTC at instant t.
  std::chrono::seconds offset_at(Time t) const;
  // The UTC instant of local midnight starting calendar day y-m-d in this zone.
  Time local_midnight(int y, unsigned m, unsigned d) const;
  // "2008-04-15 10:22:33 +0900".
  std::string format_local(Time t) const;

 private:
  std::string name_;
};

// A calendar date "YYYY-MM-DD"; nullopt when malformed.
struct Date {
  int year;
  unsigned month;
  unsigned day;
};
std::optional<Date> parse_date(std::string_view text);

// The test hook KIZUNA_TEST_CLOCK_FILE: a clock a test moves while a process runs (`kizuna
// serve`, `kizuna worker`) by writing an ISO 8601 time with its offset into a file. The file is
// read again whenever its modification time or size changed; content that is not a time leaves
// the clock where it was. Never used in production (the command line refuses the variable
// unless KIZUNA_TEST_HOOKS=1). Thread-safe.
class FileClock final : public Clock {
 public:
  // nullptr when the file cannot be read or holds no time.
  static std::unique_ptr<FileClock> open(const std::string& path);
  Time now() const override;

 private:
  FileClock(std::string path, Time t) : path_(std::move(path)), t_(t) {}
  std::string path_;
  mutable std::mutex mu_;
  mutable Time t_;
  mutable int64_t stamp_ = -1;  // modification time (ns) and size of the file last read
  mutable int64_t size_ = -1;
};

}  // namespace kz
