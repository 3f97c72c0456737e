// A limit on how often one key (a client address, an account) may do something within a window:
// failed logins per address, anonymous submissions per address. Fixed windows: a key's count
// starts at its first event and is forgotten when the window ends.
//
// Memory is bounded: at most `max_keys` keys are kept; past that, keys whose window ended are
// dropped, and if none has, the new key is refused (an attacker spraying addresses meets the
// limit, rather than the server running out of memory).
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/result.h"
#include "core/time.h"

namespace kz::server {

class Throttle {
 public:
  Throttle(int limit, std::chrono::seconds window, size_t max_keys = 100'000)
      : limit_(limit), window_(window), max_keys_(max_keys) {}

  // kLimited (with retry_after) when `key` has used up its limit in the current window;
  // `what` says what is limited, for the error's message.
  Status check(const std::string& key, Time now, const std::string& what);
  // Counts one event of `key`.
  void count(const std::string& key, Time now);
  // Forgets `key` (a successful login ends its failures).
  void forget(const std::string& key);

 private:
  struct Window {
    Time start{};
    int events = 0;
  };
  void drop_ended(Time now);

  const int limit_;
  const std::chrono::seconds window_;
  const size_t max_keys_;
  std::mutex mu_;
  std::map<std::string, Window> windows_;
};

}  // namespace kz::server
