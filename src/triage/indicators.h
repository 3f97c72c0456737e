// Indicators in free text: IPv4/IPv6 addresses, CIDR blocks, URLs, domains, e-mail addresses and
// hashes. Defanged forms (hxxp, [.], (.), [:]) are refanged first. Pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kz::triage {

enum class IndicatorKind { kIp, kCidr, kUrl, kDomain, kEmail, kMd5, kSha1, kSha256 };
std::string_view to_string(IndicatorKind k);

struct Indicator {
  IndicatorKind kind;
  std::string value;  // canonical: addresses printed canonically, URLs normalised, lower-case
  size_t line = 0;    // 0-based line of the (refanged) text where it was found
  size_t column = 0;  // byte offset in that line
};

// Everything found in `text`, in order of appearance. Domains are reported only when they are
// not the host of a URL or the domain of an e-mail address found at the same place, and when
// `is_domain` accepts them (a public-suffix check; nullptr accepts any dotted name with a
// letter-only last label of 2+ letters).
using DomainCheck = bool (*)(std::string_view);
std::vector<Indicator> extract_indicators(std::string_view text, DomainCheck is_domain = nullptr);
// The same for text already refanged (refang(text)): lines and columns refer to `refanged`.
std::vector<Indicator> extract_indicators_refanged(std::string_view refanged,
                                                   DomainCheck is_domain = nullptr);

}  // namespace kz::triage
