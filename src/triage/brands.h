// The brands phishers imitate: name, legitimate domains, country, keywords. Loaded from TOML
// (data/brands.toml built in; `[triage] brands = PATH` overrides). A phishing report's brand is
// the one most named in its text and URLs; domestic when the brand's country is the centre's
// home country, foreign otherwise, unknown when nothing matches. Immutable after load.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "triage/keyword_set.h"

namespace kz::triage {

struct Brand {
  std::string name;
  std::string country;  // ISO 3166 alpha-2, upper-case
  std::vector<std::string> domains;
  std::vector<std::string> keywords;
};

struct BrandMatch {
  std::string name;
  std::string country;
};

class BrandList {
 public:
  static Result<std::shared_ptr<const BrandList>> parse(std::string_view toml,
                                                        const std::string& origin);
  static std::shared_ptr<const BrandList> defaults();

  // The best-matching brand for `text` (subject + body + URLs), or nullopt.
  std::optional<BrandMatch> match(std::string_view text) const;
  size_t size() const { return brands_.size(); }

 private:
  std::vector<Brand> brands_;
  KeywordSet set_;
  std::vector<size_t> owner_;  // keyword index -> brand index
};

}  // namespace kz::triage
