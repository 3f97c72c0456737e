#include "triage/brands.h"

#include <toml.hpp>

#include "triage/toml_util.h"

#include "core/text.h"
#include "triage/default_data.h"

namespace kz::triage {

Result<std::shared_ptr<const BrandList>> BrandList::parse(std::string_view text,
                                                          const std::string& origin) {
  auto list = std::make_shared<BrandList>();
  try {
    const toml::value doc = parse_toml_text(text, origin);
    for (const auto& b : array_of_tables(doc, "brand")) {
      Brand brand;
      brand.name = toml::find<std::string>(b, "name");
      brand.country = to_lower_ascii(toml::find_or<std::string>(b, "country", ""));
      for (char& c : brand.country)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      brand.domains = toml::find_or<std::vector<std::string>>(b, "domains", {});
      brand.keywords = toml::find_or<std::vector<std::string>>(b, "keywords", {});
      list->brands_.push_back(std::move(brand));
    }
  } catch (const std::exception& e) {
    return fail(Error::Parse(std::string("bad brand list: ") + e.what(), origin));
  }
  for (size_t i = 0; i < list->brands_.size(); ++i) {
    const Brand& b = list->brands_[i];
    list->set_.add(b.name);
    list->owner_.push_back(i);
    for (const auto& d : b.domains) {
      list->set_.add(d);
      list->owner_.push_back(i);
    }
    for (const auto& k : b.keywords) {
      list->set_.add(k);
      list->owner_.push_back(i);
    }
  }
  list->set_.build();
  return std::shared_ptr<const BrandList>(std::move(list));
}

std::shared_ptr<const BrandList> BrandList::defaults() {
  static const std::shared_ptr<const BrandList> kDefaults = [] {
    auto r = parse(default_brands_toml(), "data/brands.toml (built in)");
    if (!r) throw std::runtime_error("built-in brand list is broken: " + r.error().to_string());
    return *r;
  }();
  return kDefaults;
}

std::optional<BrandMatch> BrandList::match(std::string_view text) const {
  std::vector<bool> hits;
  set_.match(text, hits);
  std::vector<int> score(brands_.size(), 0);
  for (size_t k = 0; k < hits.size(); ++k) {
    if (hits[k]) ++score[owner_[k]];
  }
  size_t best = brands_.size();
  for (size_t i = 0; i < brands_.size(); ++i) {
    if (score[i] > 0 && (best == brands_.size() || score[i] > score[best])) best = i;
  }
  if (best == brands_.size()) return std::nullopt;
  return BrandMatch{brands_[best].name, brands_[best].country};
}

}  // namespace kz::triage
