// SHA-256 (FIPS 180-4), used to content-address raw input.
#pragma once

#include <string>
#include <string_view>

namespace kz {

// Lower-case hex digest of `data`. Pure, thread-safe.
std::string sha256_hex(std::string_view data);

// The same digest over bytes that arrive in pieces (an input read as a stream): update() with
// each piece in order, then hex() once. Equal to sha256_hex of the concatenation. One object per
// thread; not copyable. Throws std::runtime_error only when OpenSSL cannot allocate.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // The digest of everything given so far; the object starts over afterwards.
  std::string hex();

 private:
  struct Context;
  Context* ctx_;
};

}  // namespace kz
