#include "enrich/loader.h"

#include "intake/mailbox.h"

namespace kz::enrich {

bool loadable_kind(const std::string& kind) { return kind == "pfx2as" || kind == "delegated" || kind == "as2org"; }

bool planned_kind(const std::string& kind) {
  return kind == "mmdb" || kind == "rdap" || kind == "contacts" || kind == "csirts";
}

namespace {

template <typename T>
void note_problems(LoadSummary& s, const Parsed<T>& p) {
  s.entries = p.entries.size();
  s.skipped = p.skipped;
  for (const auto& pr : p.problems) s.problems.push_back(s.file + ":" + std::to_string(pr.line) + ": " + pr.message);
}

}  // namespace

Result<LoadSummary> load_data_file(store::Store& store, const std::string& kind, const std::string& file, Time now) {
  if (!loadable_kind(kind)) {
    if (planned_kind(kind)) {
      return fail(Error::InvalidArgument("loading \"" + kind + "\" data is not implemented yet in this version",
                                         "kizuna data load"));
    }
    return fail(Error::InvalidArgument("unknown data kind \"" + kind + "\" (use pfx2as, delegated or as2org)",
                                       "kizuna data load"));
  }
  auto text = intake::read_file(file);
  if (!text) return fail(Error::InvalidArgument(text.error().message, file));
  LoadSummary s{kind, file, 0, 0, {}};
  store::DataSetInfo info{kind, file, now, 0, 0, 0};
  Status stored;
  if (kind == "pfx2as") {
    auto p = parse_pfx2as(*text);
    note_problems(s, p);
    std::vector<store::OriginRow> rows;
    rows.reserve(p.entries.size());
    for (auto& e : p.entries) rows.push_back({e.prefix.to_string(), std::move(e.origins)});
    info.entries = static_cast<int64_t>(rows.size());
    info.problems = static_cast<int64_t>(s.problems.size());
    stored = store.replace_origins(info, rows);
  } else if (kind == "delegated") {
    auto p = parse_delegated(*text);
    note_problems(s, p);
    std::vector<store::DelegationRow> rows;
    rows.reserve(p.entries.size());
    for (auto& e : p.entries) rows.push_back({e.prefix.to_string(), e.registry, e.country, e.status});
    info.entries = static_cast<int64_t>(rows.size());
    info.problems = static_cast<int64_t>(s.problems.size());
    stored = store.replace_delegations(info, rows);
  } else {
    auto p = parse_as2org(*text);
    note_problems(s, p);
    std::vector<store::AsNameRow> rows;
    rows.reserve(p.entries.size());
    for (auto& e : p.entries) rows.push_back({e.asn, e.name, e.country});
    info.entries = static_cast<int64_t>(rows.size());
    info.problems = static_cast<int64_t>(s.problems.size());
    stored = store.replace_as_names(info, rows);
  }
  if (!stored) return fail(stored.error());
  return s;
}

}  // namespace kz::enrich
