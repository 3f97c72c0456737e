#include "triage/logs.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "core/ip.h"
#include "core/text.h"

namespace kz::triage {

namespace {

std::optional<std::string> ip_at(std::string_view s) {
  size_t n = 0;
  while (n < s.size() &&
         (std::isxdigit(static_cast<unsigned char>(s[n])) || s[n] == '.' || s[n] == ':'))
    ++n;
  auto ip = Ip::parse(s.substr(0, n));
  if (!ip) return std::nullopt;
  return ip->to_string();
}

int number_at(std::string_view s) {
  int v = 0;
  size_t n = 0;
  while (n < s.size() && n < 6 && s[n] >= '0' && s[n] <= '9') v = v * 10 + (s[n++] - '0');
  return n == 0 || v > 65535 ? 0 : v;
}

// Value after "KEY=" in a netfilter line.
std::string_view field(std::string_view line, std::string_view key) {
  size_t pos = 0;
  while ((pos = line.find(key, pos)) != std::string_view::npos) {
    if (pos == 0 || line[pos - 1] == ' ') {
      std::string_view v = line.substr(pos + key.size());
      return v.substr(0, v.find(' '));
    }
    pos += key.size();
  }
  return {};
}

// "Apr 15 03:12:44 host ..." in `year`, taken as UTC (the caller applies the zone). Read in
// place: building an ISO 8601 string to parse cost about 1,800 instructions a log line.
std::optional<Time> syslog_time(std::string_view line, int year) {
  if (line.size() < 15) return std::nullopt;
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto month = std::find(std::begin(kMonths), std::end(kMonths), line.substr(0, 3));
  if (month == std::end(kMonths)) return std::nullopt;
  const auto digit = [&](size_t i) { return line[i] >= '0' && line[i] <= '9'; };
  const auto two = [&](size_t i) { return (line[i] - '0') * 10 + (line[i + 1] - '0'); };
  const std::string_view day_text = trim(line.substr(4, 2));  // "15", " 5" or "5 "
  int day = 0;
  for (const char c : day_text) {
    if (c < '0' || c > '9') return std::nullopt;
    day = day * 10 + (c - '0');
  }
  if (day_text.empty() || !digit(7) || !digit(8) || line[9] != ':' || !digit(10) || !digit(11) ||
      line[12] != ':' || !digit(13) || !digit(14))
    return std::nullopt;
  return utc_time(year, static_cast<int>(month - std::begin(kMonths)) + 1, day, two(7), two(10),
                  two(13));
}

std::optional<LogEvent> sshd(std::string_view line, int year) {
  const size_t at = line.find("sshd[");
  if (at == std::string_view::npos && line.find("sshd:") == std::string_view::npos)
    return std::nullopt;
  static const char* kFailures[] = {"Failed password",
                                    "Invalid user",
                                    "invalid user",
                                    "authentication failure",
                                    "Did not receive identification",
                                    "Failed publickey",
                                    "Connection closed by",
                                    "Disconnected from",
                                    "maximum authentication attempts",
                                    "POSSIBLE BREAK-IN"};
  bool failure = false;
  for (const char* f : kFailures) failure = failure || line.find(f) != std::string_view::npos;
  if (!failure) return std::nullopt;
  for (const char* marker : {" from ", " rhost=", "[", " by "}) {
    size_t pos = 0;
    while ((pos = line.find(marker, pos)) != std::string_view::npos) {
      pos += std::string_view(marker).size();
      if (auto ip = ip_at(line.substr(pos))) {
        LogEvent e{LogKind::kSshd, *ip, {}, 22, "tcp", syslog_time(line, year)};
        return e;
      }
    }
  }
  return std::nullopt;
}

std::optional<LogEvent> iptables(std::string_view line, int year) {
  const std::string_view src = field(line, "SRC=");
  const std::string_view dpt = field(line, "DPT=");
  if (src.empty() || line.find("DST=") == std::string_view::npos) return std::nullopt;
  auto s = ip_at(src);
  if (!s) return std::nullopt;
  LogEvent e{LogKind::kIptables, *s, {}, number_at(dpt), "tcp", syslog_time(line, year)};
  if (auto d = ip_at(field(line, "DST="))) e.destination = *d;
  const std::string_view proto = field(line, "PROTO=");
  if (!proto.empty()) e.protocol = to_lower_ascii(proto);
  if (e.protocol == "icmp") e.destination_port = 0;
  return e;
}

// Apache/nginx combined: 198.51.100.7 - - [15/Apr/2008:03:12:44 +0900] "GET /x HTTP/1.1" 404 ...
std::optional<LogEvent> web_access(std::string_view line) {
  const size_t sp = line.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  const auto client = Ip::parse(line.substr(0, sp));
  if (!client) return std::nullopt;
  const std::string ip = client->to_string();
  const size_t lb = line.find(" [", sp);
  const size_t rb = line.find("] \"", sp);
  if (lb == std::string_view::npos || rb == std::string_view::npos || rb < lb) return std::nullopt;
  LogEvent e{LogKind::kWebAccess, ip, {}, 80, "tcp", std::nullopt};
  // [15/Apr/2008:03:12:44 +0900]
  std::string_view ts = line.substr(lb + 2, rb - lb - 2);
  if (ts.size() >= 20) {
    std::string rfc = std::string(ts.substr(0, 2)) + " " + std::string(ts.substr(3, 3)) + " " +
                      std::string(ts.substr(7, 4)) + " " + std::string(ts.substr(12));
    e.time = parse_rfc2822(rfc);
  }
  // "GET https://host/ ..." or a CONNECT to port 443 says https.
  const std::string_view req = line.substr(rb + 3, 24);
  if (req.starts_with("CONNECT ") && req.find(":443") != std::string_view::npos)
    e.destination_port = 443;
  return e;
}

// #Fields: date time action protocol src-ip dst-ip src-port dst-port size tcpflags ...
std::optional<LogEvent> windows_firewall(std::string_view line) {
  std::vector<std::string_view> f;
  for (auto p : split(trim(line), ' ')) {
    if (!p.empty()) f.push_back(p);
  }
  if (f.size() < 8 || f[0].size() != 10 || f[0][4] != '-') return std::nullopt;
  if (f[2] != "DROP" && f[2] != "ALLOW" && f[2] != "OPEN" && f[2] != "CLOSE" &&
      f[2] != "OPEN-INBOUND" && f[2] != "INFO-EVENTS-LOST") {
    return std::nullopt;
  }
  auto src = ip_at(f[4]);
  auto dst = ip_at(f[5]);
  if (!src) return std::nullopt;
  LogEvent e{LogKind::kWindowsFirewall, *src,        dst.value_or(""), number_at(f[7]),
             to_lower_ascii(f[3]),      std::nullopt};
  e.time = parse_iso8601(std::string(f[0]) + "T" + std::string(f[1]) + "Z", TimeZone("UTC"));
  if (e.protocol == "icmp") e.destination_port = 0;
  return e;
}

}  // namespace

std::string_view to_string(LogKind k) {
  static constexpr std::string_view kNames[] = {"sshd", "iptables", "web-access",
                                                "windows-firewall"};
  return kNames[static_cast<int>(k)];
}

std::optional<LogEvent> read_log_line(std::string_view line, int year,
                                      std::chrono::minutes local_offset) {
  line = trim(line);
  if (line.size() < 16 || line.size() > 4096) return std::nullopt;
  std::optional<LogEvent> e;
  if (line.find("SRC=") != std::string_view::npos) {
    e = iptables(line, year);
  } else if (line.find("sshd") != std::string_view::npos) {
    e = sshd(line, year);
  } else if (line[0] >= '0' && line[0] <= '9' && line[4] == '-' && (e = windows_firewall(line))) {
  } else if (line.find("] \"") != std::string_view::npos) {
    return web_access(line);  // carries its own zone
  }
  if (e && e->time) *e->time -= local_offset;
  return e;
}

}  // namespace kz::triage
