// Readers for the log lines reporters paste or attach: OpenSSH sshd authentication failures,
// iptables/netfilter kernel lines, Apache/nginx combined access logs and the Windows Firewall
// log (pfirewall.log). Each recognised line gives who (source) did what to whom (destination,
// port) and when. Pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/time.h"

namespace kz::triage {

enum class LogKind { kSshd, kIptables, kWebAccess, kWindowsFirewall };
std::string_view to_string(LogKind k);

struct LogEvent {
  LogKind kind;
  std::string source;       // canonical IP of the actor (the reported side)
  std::string destination;  // canonical IP of the target (the reporter's side), if in the line
  int destination_port = 0;
  std::string protocol = "tcp";
  std::optional<Time> time;  // UTC; lines without a zone are read in `local_offset`
};

// Reads one line; nullopt when it is none of the known formats. `year` completes syslog
// timestamps ("Apr 15 03:12:44"), which carry no year. Syslog and Windows Firewall times carry
// no zone either: they are read at `local_offset` from UTC (the zone of the message that
// brought them, e.g. +9 h for a Japanese reporter).
std::optional<LogEvent> read_log_line(std::string_view line, int year = 0,
                                      std::chrono::minutes local_offset = std::chrono::minutes{0});

}  // namespace kz::triage
