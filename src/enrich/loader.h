// `kizuna data load KIND FILE`: reads one source file, reports every bad line with file and
// line, and replaces that kind of data in the store in one transaction, but only when the file
// is good: without errors, or with `partial` and at least one good entry. Otherwise the data
// loaded before stays as it was (a file of the wrong kind, a truncated download, garbage must
// never wipe the routing data).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "enrich/sources.h"
#include "store/database.h"

namespace kz::enrich {

struct LoadSummary {
  std::string kind;
  std::string file;
  size_t entries = 0;
  size_t skipped = 0;                 // comments, headers, summaries, unused records
  std::vector<std::string> problems;  // "FILE:LINE: what is wrong" (outside bytes escaped)
  bool replaced = false;              // the store now holds this file's entries
  std::string kept_because;           // when not replaced: why the loaded data was kept
};

struct LoadOptions {
  // Replace even though some lines are bad, when at least one entry is good.
  bool partial = false;
};

// The kinds this version loads, and the ones named for later that it does not load yet.
bool loadable_kind(const std::string& kind);
bool planned_kind(const std::string& kind);

// kInvalidArgument for an unknown kind or an unreadable file; store errors as they come. A file
// refused by the rule above is not an error: the summary says so (replaced false, kept_because).
Result<LoadSummary> load_data_file(store::NetworkDataStore& store, const std::string& kind,
                                   const std::string& file, Time now,
                                   const LoadOptions& options = {});

}  // namespace kz::enrich
