#include "enrich/loader.h"

#include <algorithm>
#include <filesystem>

#include "enrich/directory.h"
#include "enrich/mmdb.h"
#include "intake/mailbox.h"

namespace kz::enrich {

bool loadable_kind(const std::string& kind) {
  return kind == "pfx2as" || kind == "delegated" || kind == "as2org" || kind == "contacts" ||
         kind == "csirts" || kind == "rdap" || kind == "mmdb";
}

bool planned_kind(const std::string& /*kind*/) { return false; }

namespace {

// A problem as a person may read it: a parser quotes the bad field, which may be binary. The
// data files are ASCII formats, so anything else is shown as \xNN, and the text is cut: the
// file and line are enough to find it.
std::string readable(std::string_view text) {
  constexpr size_t kMaxBytes = 300;
  std::string out;
  for (const unsigned char c : text.substr(0, kMaxBytes)) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static const char* hex = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  if (text.size() > kMaxBytes) out += "...";
  return out;
}

template <typename T>
void note_problems(LoadSummary& s, const Parsed<T>& p) {
  s.entries = p.entries.size();
  s.skipped = p.skipped;
  for (const auto& pr : p.problems)
    s.problems.push_back(readable(s.file + ":" + std::to_string(pr.line) + ": " + pr.message));
}

// Whether the file may replace what is loaded: empty when it may, else why not.
std::string refusal(const LoadSummary& s, const LoadOptions& options) {
  if (s.entries == 0)
    return s.problems.empty() ? "the file holds no entries" : "the file holds no good entry";
  if (!s.problems.empty() && !options.partial)
    return std::to_string(s.problems.size()) +
           " bad lines: fix the file, or load its good entries with --partial";
  return "";
}

// Directories (TOML) and RDAP responses (JSON; a file or a folder of .json files) are kept as
// documents and checked now, so that a bad one is refused with its reason and never reaches a
// snapshot.
Result<LoadSummary> load_documents(store::NetworkDataStore& store, const std::string& kind,
                                   const std::string& path, Time now, const LoadOptions& options) {
  LoadSummary s{kind, path, 0, 0, {}, false, ""};
  std::vector<std::string> files;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(path, ec)) {
      const std::string want = kind == "rdap" ? ".json" : kind == "mmdb" ? ".mmdb" : ".toml";
      if (e.is_regular_file() && e.path().extension() == want) {
        files.push_back(e.path().string());
      }
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::vector<store::DataDocument> docs;
  for (const auto& f : files) {
    auto text = intake::read_file(f);
    if (!text) return fail(Error::InvalidArgument(text.error().message, f));
    if (kind == "contacts") {
      auto orgs = parse_contacts(*text, f);
      if (!orgs) return fail(Error::InvalidArgument(orgs.error().message, f));
      s.entries += orgs->size();
    } else if (kind == "csirts") {
      auto list = parse_csirts(*text, f);
      if (!list) return fail(Error::InvalidArgument(list.error().message, f));
      s.entries += list->size();
    } else if (kind == "mmdb") {
      auto m = Mmdb::open(*text, f);
      if (!m) return fail(Error::InvalidArgument(m.error().message, f));
      s.entries += 1;
    } else {
      auto records = parse_rdap(*text);
      if (!records) {
        s.problems.push_back(readable(f + ": " + records.error().message));
        continue;
      }
      s.entries += records->size();
    }
    docs.push_back({f, std::move(*text)});
  }
  s.kept_because = refusal(s, options);
  if (!s.kept_because.empty()) return s;
  store::DataSetInfo info{
      kind, path, now, static_cast<int64_t>(s.entries), static_cast<int64_t>(s.problems.size()), 0};
  if (auto st = store.replace_documents(info, docs); !st) return fail(st.error());
  s.replaced = true;
  return s;
}

}  // namespace

Result<LoadSummary> load_data_file(store::NetworkDataStore& store, const std::string& kind,
                                   const std::string& file, Time now, const LoadOptions& options) {
  if (!loadable_kind(kind)) {
    if (planned_kind(kind)) {
      return fail(Error::InvalidArgument(
          "loading \"" + kind + "\" data is not implemented yet in this version",
          "kizuna data load"));
    }
    return fail(Error::InvalidArgument(
        "unknown data kind \"" + kind +
            "\" (use pfx2as, delegated, as2org, contacts, csirts, rdap or mmdb)",
        "kizuna data load"));
  }
  if (kind == "contacts" || kind == "csirts" || kind == "rdap" || kind == "mmdb") {
    return load_documents(store, kind, file, now, options);
  }
  auto text = intake::read_file(file);
  if (!text) return fail(Error::InvalidArgument(text.error().message, file));
  LoadSummary s{kind, file, 0, 0, {}, false, ""};
  store::DataSetInfo info{kind, file, now, 0, 0, 0};
  Status stored;
  // Refused before the store is touched: the loaded data stays.
  const auto refused = [&] {
    s.kept_because = refusal(s, options);
    return !s.kept_because.empty();
  };
  if (kind == "pfx2as") {
    auto p = parse_pfx2as(*text);
    note_problems(s, p);
    if (refused()) return s;
    std::vector<store::OriginRow> rows;
    rows.reserve(p.entries.size());
    for (auto& e : p.entries) rows.push_back({e.prefix.to_string(), std::move(e.origins)});
    info.entries = static_cast<int64_t>(rows.size());
    info.problems = static_cast<int64_t>(s.problems.size());
    stored = store.replace_origins(info, rows);
  } else if (kind == "delegated") {
    auto p = parse_delegated(*text);
    note_problems(s, p);
    if (refused()) return s;
    std::vector<store::DelegationRow> rows;
    rows.reserve(p.entries.size());
    for (auto& e : p.entries)
      rows.push_back({e.prefix.to_string(), e.registry, e.country, e.status});
    info.entries = static_cast<int64_t>(rows.size());
    info.problems = static_cast<int64_t>(s.problems.size());
    stored = store.replace_delegations(info, rows);
  } else {
    auto p = parse_as2org(*text);
    note_problems(s, p);
    if (refused()) return s;
    std::vector<store::AsNameRow> rows;
    rows.reserve(p.entries.size());
    for (auto& e : p.entries) rows.push_back({e.asn, e.name, e.country});
    info.entries = static_cast<int64_t>(rows.size());
    info.problems = static_cast<int64_t>(s.problems.size());
    stored = store.replace_as_names(info, rows);
  }
  if (!stored) return fail(stored.error());
  s.replaced = true;
  return s;
}

}  // namespace kz::enrich
