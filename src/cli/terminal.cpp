#include "cli/terminal.h"

#include <iostream>
#include <streambuf>
#include <string>

#include "core/text.h"

namespace kz::cli {

namespace {

// Collects output up to a line end (or 4 KiB) and writes it through terminal_safe: a control
// character of several bytes (a C1 code in UTF-8) is then never split across two writes.
class TerminalSafeBuf : public std::streambuf {
 public:
  TerminalSafeBuf(std::ostream& stream) : stream_(stream), dest_(stream.rdbuf()) {
    stream_.rdbuf(this);
  }
  ~TerminalSafeBuf() override {
    sync();
    stream_.rdbuf(dest_);
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    pending_ += traits_type::to_char_type(c);
    if (c == '\n' || pending_.size() >= 4096) flush_pending();
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    for (std::streamsize i = 0; i < n; ++i) overflow(traits_type::to_int_type(s[i]));
    return n;
  }
  int sync() override {
    flush_pending();
    return dest_->pubsync();
  }

 private:
  void flush_pending() {
    if (pending_.empty()) return;
    const std::string safe = terminal_safe(pending_, true);
    dest_->sputn(safe.data(), static_cast<std::streamsize>(safe.size()));
    pending_.clear();
  }

  std::ostream& stream_;
  std::streambuf* dest_;
  std::string pending_;
};

}  // namespace

void install_terminal_filter(bool standard_output) {
  // Destroyed at exit before the standard streams' final flush; each restores its stream.
  static TerminalSafeBuf err(std::cerr);
  if (standard_output) static TerminalSafeBuf out(std::cout);
}

}  // namespace kz::cli
