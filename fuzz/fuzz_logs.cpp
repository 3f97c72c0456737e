// Fuzzes the log-line readers (sshd, iptables, web access, Windows Firewall), line by line.
#include <cstdint>
#include <string_view>

#include "core/text.h"
#include "triage/logs.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (auto line : kz::split_lines(std::string_view(reinterpret_cast<const char*>(data), size))) {
    (void)kz::triage::read_log_line(line, 2008);
  }
  return 0;
}
