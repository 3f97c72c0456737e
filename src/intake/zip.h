// Reads the files of a zip archive held in memory (libzip), within limits. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kz::intake {

struct ZipEntry {
  std::string name;
  std::string data;
};

// kParse when the archive is unreadable; entries beyond the limits are left out and
// reported in `skipped`.
Result<std::vector<ZipEntry>> read_zip(std::string_view archive, int max_entries,
                                       size_t max_total_bytes, std::vector<std::string>* skipped);

}  // namespace kz::intake
