// MaxMind-format databases (GeoLite2-ASN / -Country and compatible) read through libmaxminddb:
// the lowest-precedence source (directory > RDAP > delegated file > MMDB). The database bytes
// are kept in the store like any loaded data; a snapshot opens them from a private temporary
// file (libmaxminddb maps a file), removed once mapped.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/ip.h"
#include "core/result.h"

namespace kz::enrich {

struct MmdbAnswer {
  std::optional<uint32_t> asn;
  std::string as_name;
  std::string country;  // country.iso_code, else registered_country.iso_code
};

class Mmdb {
 public:
  // kParse when the bytes are not a MaxMind DB.
  static Result<std::unique_ptr<Mmdb>> open(std::string_view bytes, const std::string& name);
  ~Mmdb();
  Mmdb(const Mmdb&) = delete;
  Mmdb& operator=(const Mmdb&) = delete;

  std::optional<MmdbAnswer> lookup(const Ip& ip) const;
  const std::string& name() const { return name_; }

 private:
  Mmdb() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string name_;
};

}  // namespace kz::enrich
