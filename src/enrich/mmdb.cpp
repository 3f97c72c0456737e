#include "enrich/mmdb.h"

#include <arpa/inet.h>
#include <maxminddb.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace kz::enrich {

struct Mmdb::Impl {
  MMDB_s db{};
  bool open = false;
  ~Impl() {
    if (open) MMDB_close(&db);
  }
};

Result<std::unique_ptr<Mmdb>> Mmdb::open(std::string_view bytes, const std::string& name) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kizuna-mmdb-XXXXXX").string();
  const int fd = mkstemp(tmpl.data());
  if (fd < 0)
    return fail(Error::Io("cannot create a temporary file for the MaxMind database", name));
  size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  ::close(fd);
  std::unique_ptr<Mmdb> m(new Mmdb());
  m->impl_ = std::make_unique<Impl>();
  m->name_ = name;
  const int rc = written == bytes.size() ? MMDB_open(tmpl.c_str(), MMDB_MODE_MMAP, &m->impl_->db)
                                         : MMDB_IO_ERROR;
  std::filesystem::remove(tmpl);  // the mapping stays valid
  if (rc != MMDB_SUCCESS)
    return fail(Error::Parse(std::string("not a MaxMind database: ") + MMDB_strerror(rc), name));
  m->impl_->open = true;
  return m;
}

Mmdb::~Mmdb() = default;

namespace {

std::string string_at(MMDB_entry_s* entry, const char* const* path) {
  MMDB_entry_data_s data{};
  if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING) {
    return {};
  }
  return std::string(data.utf8_string, data.data_size);
}

}  // namespace

std::optional<MmdbAnswer> Mmdb::lookup(const Ip& ip) const {
  sockaddr_storage ss{};
  if (ip.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, ip.bytes().data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, ip.bytes().data(), 16);
  }
  int err = 0;
  MMDB_lookup_result_s r = MMDB_lookup_sockaddr(&impl_->db, reinterpret_cast<sockaddr*>(&ss), &err);
  if (err != MMDB_SUCCESS || !r.found_entry) return std::nullopt;
  MmdbAnswer a;
  MMDB_entry_data_s data{};
  const char* asn_path[] = {"autonomous_system_number", nullptr};
  if (MMDB_aget_value(&r.entry, &data, asn_path) == MMDB_SUCCESS && data.has_data &&
      data.type == MMDB_DATA_TYPE_UINT32) {
    a.asn = data.uint32;
  }
  const char* org_path[] = {"autonomous_system_organization", nullptr};
  a.as_name = string_at(&r.entry, org_path);
  const char* cc_path[] = {"country", "iso_code", nullptr};
  a.country = string_at(&r.entry, cc_path);
  if (a.country.empty()) {
    const char* reg_path[] = {"registered_country", "iso_code", nullptr};
    a.country = string_at(&r.entry, reg_path);
  }
  return a;
}

}  // namespace kz::enrich
