#include "triage/logs.h"

#include <gtest/gtest.h>

namespace kz::triage {

TEST(Logs, Sshd) {
  auto e = read_log_line(
      "Apr 15 03:12:44 www sshd[2231]: Failed password for invalid user admin from 198.51.100.7 "
      "port 40122 ssh2",
      2008);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, LogKind::kSshd);
  EXPECT_EQ(e->source, "198.51.100.7");
  EXPECT_EQ(e->destination_port, 22) << "the port in the line is the client's, the service is ssh";
  ASSERT_TRUE(e->time);
  EXPECT_EQ(format_utc(*e->time), "2008-04-15T03:12:44Z");
  EXPECT_FALSE(read_log_line(
      "Apr 15 03:12:44 www sshd[2231]: Accepted publickey for bob from 198.51.100.7"));
  // A Japanese reporter's syslog is in JST: 03:12 JST is 18:12 UTC the day before.
  auto jst = read_log_line(
      "Apr 15 03:12:44 www sshd[2231]: Failed password for root from 198.51.100.7 port 4 ssh2",
      2008, std::chrono::minutes{540});
  ASSERT_TRUE(jst && jst->time);
  EXPECT_EQ(format_utc(*jst->time), "2008-04-14T18:12:44Z");
}

// The syslog time is read in place; it must give what the ISO 8601 reader gives for the same
// date and time, and nothing for a day or a clock that does not exist.
TEST(Logs, SyslogTimesAreReadLikeIso8601) {
  const auto at = [](std::string_view stamp, int year) -> std::optional<Time> {
    auto e = read_log_line(
        std::string(stamp) + " www sshd[1]: Failed password for root from 198.51.100.7 port 4 ssh2",
        year);
    if (!e) return std::nullopt;
    return e->time;
  };
  const struct {
    std::string_view stamp;
    int year;
    std::string_view iso;  // "" = no time
  } cases[] = {
      {"Apr 15 03:12:44", 2008, "2008-04-15T03:12:44Z"},
      {"Apr  5 03:12:44", 2008, "2008-04-05T03:12:44Z"},
      {"Jan  1 00:00:00", 2009, "2009-01-01T00:00:00Z"},
      {"Dec 31 23:59:59", 2008, "2008-12-31T23:59:59Z"},
      {"Feb 29 12:00:00", 2008, "2008-02-29T12:00:00Z"},
      {"Dec 31 23:59:60", 2016, "2016-12-31T23:59:60Z"},
      {"Feb 29 12:00:00", 2009, ""},
      {"Apr 31 12:00:00", 2008, ""},
      {"Apr 15 24:00:00", 2008, ""},
      {"Apr 15 03:60:00", 2008, ""},
      {"Foo 15 03:12:44", 2008, ""},
      {"Apr 15 3:12:44 ", 2008, ""},
      {"Apr 1x 03:12:44", 2008, ""},
      {"Apr 15 03:12:44", 0, ""},
  };
  for (const auto& c : cases) {
    const auto got = at(c.stamp, c.year);
    if (c.iso.empty()) {
      EXPECT_FALSE(got) << c.stamp << " " << c.year;
      continue;
    }
    const auto want = parse_iso8601(c.iso, TimeZone("UTC"));
    ASSERT_TRUE(want) << c.iso;
    ASSERT_TRUE(got) << c.stamp << " " << c.year;
    EXPECT_EQ(*got, *want) << c.stamp << " " << c.year;
  }
}

TEST(Logs, IptablesGivesSourceDestinationAndPort) {
  auto e = read_log_line(
      "Apr 15 10:11:12 fw kernel: IN=eth0 OUT= MAC=00:11 SRC=198.51.100.9 DST=192.0.2.10 LEN=60 "
      "TOS=0x00 "
      "PROTO=TCP SPT=4411 DPT=5900 WINDOW=5840 SYN");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "198.51.100.9");
  EXPECT_EQ(e->destination, "192.0.2.10");
  EXPECT_EQ(e->destination_port, 5900);
  EXPECT_EQ(e->protocol, "tcp");
}

TEST(Logs, ApacheCombined) {
  auto e = read_log_line(
      "198.51.100.20 - - [15/Apr/2008:03:12:44 +0900] \"GET /phpmyadmin/ HTTP/1.1\" 404 209 \"-\" "
      "\"Mozilla\"");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, LogKind::kWebAccess);
  EXPECT_EQ(e->destination_port, 80);
  EXPECT_EQ(format_utc(*e->time), "2008-04-14T18:12:44Z");
}

TEST(Logs, WindowsFirewall) {
  auto e = read_log_line(
      "2008-04-15 10:11:12 DROP TCP 198.51.100.30 192.0.2.10 4455 139 48 S 0 0 0 - - - RECEIVE");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, LogKind::kWindowsFirewall);
  EXPECT_EQ(e->source, "198.51.100.30");
  EXPECT_EQ(e->destination, "192.0.2.10");
  EXPECT_EQ(e->destination_port, 139);
}

TEST(Logs, OrdinaryProseIsNoLog) {
  EXPECT_FALSE(read_log_line("We saw scans from 198.51.100.7 yesterday."));
  EXPECT_FALSE(read_log_line(""));
}

}  // namespace kz::triage
