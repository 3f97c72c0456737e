#include "triage/logs.h"

#include <gtest/gtest.h>

namespace kz::triage {

TEST(Logs, Sshd) {
  auto e = read_log_line(
      "Apr 15 03:12:44 www sshd[2231]: Failed password for invalid user admin from 198.51.100.7 port 40122 ssh2",
      2008);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, LogKind::kSshd);
  EXPECT_EQ(e->source, "198.51.100.7");
  EXPECT_EQ(e->destination_port, 22) << "the port in the line is the client's, the service is ssh";
  ASSERT_TRUE(e->time);
  EXPECT_EQ(format_utc(*e->time), "2008-04-15T03:12:44Z");
  EXPECT_FALSE(read_log_line("Apr 15 03:12:44 www sshd[2231]: Accepted publickey for bob from 198.51.100.7"));
  // A Japanese reporter's syslog is in JST: 03:12 JST is 18:12 UTC the day before.
  auto jst = read_log_line("Apr 15 03:12:44 www sshd[2231]: Failed password for root from 198.51.100.7 port 4 ssh2",
                           2008, std::chrono::minutes{540});
  ASSERT_TRUE(jst && jst->time);
  EXPECT_EQ(format_utc(*jst->time), "2008-04-14T18:12:44Z");
}

TEST(Logs, IptablesGivesSourceDestinationAndPort) {
  auto e = read_log_line(
      "Apr 15 10:11:12 fw kernel: IN=eth0 OUT= MAC=00:11 SRC=198.51.100.9 DST=192.0.2.10 LEN=60 TOS=0x00 "
      "PROTO=TCP SPT=4411 DPT=5900 WINDOW=5840 SYN");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->source, "198.51.100.9");
  EXPECT_EQ(e->destination, "192.0.2.10");
  EXPECT_EQ(e->destination_port, 5900);
  EXPECT_EQ(e->protocol, "tcp");
}

TEST(Logs, ApacheCombined) {
  auto e = read_log_line(
      "198.51.100.20 - - [15/Apr/2008:03:12:44 +0900] \"GET /phpmyadmin/ HTTP/1.1\" 404 209 \"-\" \"Mozilla\"");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind, LogKind::kWebAccess);
  EXPECT_EQ(e->destination_port, 80);
  EXPECT_EQ(format_utc(*e->time), "2008-04-14T18:12:44Z");
}

TEST(Logs, WindowsFirewall) {
  auto e = read_log_line("2008-04-15 10:11:12 DROP TCP 198.51.100.30 192.0.2.10 4455 139 48 S 0 0 0 - - - RECEIVE");
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
