// Who reported: from the sender's address, the organisation's registered domain (public suffix
// list through libpsl), its top-level domain, the kind of organisation (CSIRT, security service,
// bank/credit card, e-commerce, ISP, individual, other) from the reporter directory, then from
// heuristics, and whether it is domestic. Immutable after load.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kz::triage {

struct ReporterInfo {
  std::string address;
  std::string org_domain;  // registered domain: "example.co.jp"
  std::string tld;         // "jp", without the dot
  std::string kind;        // csirt | security-service | bank | ecommerce | isp | individual | other
  std::string name;        // from the directory
  bool domestic = false;
};

// The registered domain of `host` (libpsl), or the host itself when it has no public suffix.
std::string registered_domain(std::string_view host);
// True when `name` ends in a known public suffix and has a label before it.
bool is_public_domain(std::string_view name);

class ReporterDirectory {
 public:
  struct Entry {
    std::string domain;
    std::string name;
    std::string kind;
    std::string country;
  };
  static Result<std::shared_ptr<const ReporterDirectory>> parse(std::string_view toml,
                                                                const std::string& origin);
  static std::shared_ptr<const ReporterDirectory> defaults();

  // `home_country`: ISO alpha-2 ("JP"); its ccTLD counts as domestic.
  ReporterInfo describe(std::string_view address, std::string_view home_country) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace kz::triage
