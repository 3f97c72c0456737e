#include "intake/zip.h"

#include <zip.h>

#include <memory>

namespace kz::intake {

Result<std::vector<ZipEntry>> read_zip(std::string_view archive, int max_entries,
                                       size_t max_total_bytes, std::vector<std::string>* skipped) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(archive.data(), archive.size(), 0, &err);
  if (!src) {
    std::string msg = zip_error_strerror(&err);
    zip_error_fini(&err);
    return fail(Error::Parse("cannot read the zip archive: " + msg));
  }
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
  if (!za) {
    std::string msg = zip_error_strerror(&err);
    zip_source_free(src);
    zip_error_fini(&err);
    return fail(Error::Parse("not a readable zip archive: " + msg));
  }
  zip_error_fini(&err);
  std::unique_ptr<zip_t, decltype(&zip_discard)> guard(za, &zip_discard);
  std::vector<ZipEntry> out;
  size_t total = 0;
  size_t over_limits = 0;  // entries left out: said once, with their count
  const zip_int64_t n = zip_get_num_entries(za, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(za, i, 0, &st) != 0) continue;
    const std::string name = (st.valid & ZIP_STAT_NAME) ? st.name : "entry" + std::to_string(i);
    if (!name.empty() && name.back() == '/') continue;  // directory
    if (static_cast<int>(out.size()) >= max_entries || !(st.valid & ZIP_STAT_SIZE) ||
        total + st.size > max_total_bytes) {
      ++over_limits;
      continue;
    }
    zip_file_t* f = zip_fopen_index(za, i, 0);
    if (!f) {
      if (skipped) skipped->push_back(name + ": " + zip_strerror(za));
      continue;
    }
    std::string data(st.size, '\0');
    const zip_int64_t got = zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
      if (skipped) skipped->push_back(name + ": damaged entry");
      continue;
    }
    total += st.size;
    out.push_back({name, std::move(data)});
  }
  if (skipped && over_limits > 0) {
    skipped->push_back(std::to_string(over_limits) + " entries over the zip limits (" +
                       std::to_string(max_entries) + " entries, " +
                       std::to_string(max_total_bytes) + " bytes): not read");
  }
  return out;
}

}  // namespace kz::intake
