#include "triage/reporters.h"

#include <vector>

#include <libpsl.h>
#include <toml.hpp>

#include "triage/toml_util.h"

#include "core/text.h"
#include "triage/default_data.h"

namespace kz::triage {

std::string registered_domain(std::string_view host) {
  // The public suffix search is the costliest step of triage per name, and reports repeat the
  // same few hosts (relays, reporters' domains): remember recent answers per thread in a small
  // direct-mapped table (a slot is overwritten on a miss, so unique names cost no growth).
  struct Slot {
    std::string host;
    std::string answer;
  };
  constexpr size_t kSlots = 16384;
  thread_local std::vector<Slot> recent(kSlots);
  std::string h = to_lower_ascii(host);
  Slot& slot = recent[std::hash<std::string>{}(h) & (kSlots - 1)];
  if (!slot.host.empty() && slot.host == h) return slot.answer;
  const char* reg = psl_registrable_domain(psl_builtin(), h.c_str());
  slot.answer = reg ? std::string(reg) : h;
  slot.host = std::move(h);
  return slot.answer;
}

bool is_public_domain(std::string_view name) {
  const std::string n(name);
  if (n.empty() || n.front() == '.' || n.front() == '-') return false;
  if (!psl_registrable_domain(psl_builtin(), n.c_str())) return false;  // itself a suffix
  // The implicit "*" rule makes every last label a suffix: require a real one.
  const std::string tld = n.substr(n.rfind('.') + 1);
  return psl_is_public_suffix2(psl_builtin(), tld.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) !=
         0;
}

Result<std::shared_ptr<const ReporterDirectory>> ReporterDirectory::parse(
    std::string_view text, const std::string& origin) {
  auto dir = std::make_shared<ReporterDirectory>();
  try {
    const toml::value doc = parse_toml_text(text, origin);
    for (const auto& r : array_of_tables(doc, "reporter")) {
      Entry e;
      e.domain = to_lower_ascii(toml::find<std::string>(r, "domain"));
      e.name = toml::find_or<std::string>(r, "name", "");
      e.kind = toml::find_or<std::string>(r, "kind", "other");
      e.country = toml::find_or<std::string>(r, "country", "");
      dir->entries_.push_back(std::move(e));
    }
  } catch (const std::exception& e) {
    return fail(Error::Parse(std::string("bad reporter directory: ") + e.what(), origin));
  }
  return std::shared_ptr<const ReporterDirectory>(std::move(dir));
}

std::shared_ptr<const ReporterDirectory> ReporterDirectory::defaults() {
  static const std::shared_ptr<const ReporterDirectory> kDefaults = [] {
    auto r = parse(default_reporters_toml(), "data/reporters.toml (built in)");
    if (!r)
      throw std::runtime_error("built-in reporter directory is broken: " + r.error().to_string());
    return *r;
  }();
  return kDefaults;
}

namespace {

bool contains_any(std::string_view s, std::initializer_list<std::string_view> words) {
  for (auto w : words) {
    if (s.find(w) != std::string_view::npos) return true;
  }
  return false;
}

std::string guess_kind(std::string_view local, std::string_view domain) {
  static const std::string_view kFreemail[] = {
      "gmail.com",    "yahoo.co.jp",   "yahoo.com",      "hotmail.com", "outlook.com",
      "msn.com",      "aol.com",       "mail.ru",        "gmx.de",      "gmx.net",
      "web.de",       "qq.com",        "163.com",        "126.com",     "naver.com",
      "hanmail.net",  "live.com",      "excite.co.jp",   "nifty.com",   "biglobe.ne.jp",
      "docomo.ne.jp", "ezweb.ne.jp",   "softbank.ne.jp", "yandex.ru",   "free.fr",
      "orange.fr",    "libero.it",     "wp.pl",          "o2.pl",       "onet.pl",
      "interia.pl",   "terra.com.br",  "uol.com.br",     "bol.com.br",  "icloud.com",
      "me.com",       "protonmail.com"};
  for (auto f : kFreemail) {
    if (domain == f) return "individual";
  }
  if (contains_any(domain, {"cert", "csirt", "sirt"}) ||
      contains_any(local, {"cert", "csirt", "sirt"})) {
    return "csirt";
  }
  if (contains_any(domain,
                   {"bank", "card", "visa", "mastercard", "jcb", "credit", "finance", "paypal"})) {
    return "bank";
  }
  if (contains_any(domain,
                   {"shop", "store", "mall", "market", "auction", "ebay", "amazon", "rakuten"})) {
    return "ecommerce";
  }
  if (contains_any(domain, {"secur", "antivirus", "phish", "abuse", "spam", "threat", "netcraft",
                            "sec-", "-sec", "shadowserver", "honeypot", "blocklist", "brand"})) {
    return "security-service";
  }
  if (contains_any(domain, {".ne.jp", ".ad.jp", "isp", "telecom", "hosting", "net.", "broadband",
                            "cable"})) {
    return "isp";
  }
  if (domain.ends_with(".ac.jp") || domain.ends_with(".edu") ||
      contains_any(domain, {"univ", ".ac.", ".edu."})) {
    return "other";
  }
  return "other";
}

}  // namespace

ReporterInfo ReporterDirectory::describe(std::string_view address,
                                         std::string_view home_country) const {
  ReporterInfo r;
  r.address = to_lower_ascii(trim(address));
  const size_t at = r.address.rfind('@');
  const std::string host = at == std::string::npos ? r.address : r.address.substr(at + 1);
  const std::string local = at == std::string::npos ? "" : r.address.substr(0, at);
  if (host.empty()) {
    r.kind = "other";
    return r;
  }
  r.org_domain = registered_domain(host);
  const size_t dot = host.rfind('.');
  r.tld = dot == std::string::npos ? "" : host.substr(dot + 1);
  const std::string home_tld = to_lower_ascii(home_country);
  r.domestic = !home_tld.empty() && r.tld == home_tld;
  for (const auto& e : entries_) {
    if (e.domain == r.org_domain || e.domain == host || host.ends_with("." + e.domain)) {
      r.kind = e.kind;
      r.name = e.name;
      if (!e.country.empty()) r.domestic = iequals(e.country, home_country);
      return r;
    }
  }
  r.kind = guess_kind(local, r.org_domain);
  return r;
}

}  // namespace kz::triage
