// `kizuna data load KIND FILE`: reads one source file, keeps every good line, reports every bad
// one with file and line, and replaces that kind of data in the store in one transaction.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "enrich/sources.h"
#include "store/store.h"

namespace kz::enrich {

struct LoadSummary {
  std::string kind;
  std::string file;
  size_t entries = 0;
  size_t skipped = 0;                 // comments, headers, summaries, unused records
  std::vector<std::string> problems;  // "FILE:LINE: what is wrong"
};

// The kinds this version loads, and the ones issue 3 names that are still to come.
bool loadable_kind(const std::string& kind);
bool planned_kind(const std::string& kind);

// kInvalidArgument for an unknown kind or an unreadable file; store errors as they come.
Result<LoadSummary> load_data_file(store::Store& store, const std::string& kind, const std::string& file, Time now);

}  // namespace kz::enrich
