#include "core/process.h"

#include <malloc.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace kz {

namespace {

// glibc reads its tunables only at process start: set them and execute this program again.
void set_malloc_tunables(char** argv) {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (std::getenv("KIZUNA_NO_HUGEPAGES") ||
      (tunables && std::strstr(tunables, "glibc.malloc.hugetlb")))
    return;
  const std::string before = tunables ? tunables : "";
  // A thread's cache of freed small chunks holds 7 per size by default; intake frees a few
  // hundred small strings per message in bursts, most of which then took glibc's slower path.
  std::string ours = "glibc.malloc.hugetlb=1";
  if (before.find("glibc.malloc.tcache_count") == std::string::npos)
    ours += ":glibc.malloc.tcache_count=512";
  const std::string value = before.empty() ? ours : before + ":" + ours;
  if (setenv("GLIBC_TUNABLES", value.c_str(), 1) != 0) return;
  execv("/proc/self/exe", argv);
  // exec failed: normal pages, and the environment as it was
  if (before.empty()) {
    unsetenv("GLIBC_TUNABLES");
  } else {
    setenv("GLIBC_TUNABLES", before.c_str(), 1);
  }
}

}  // namespace

void tune_allocator_for_bulk_work(char** argv) {
  set_malloc_tunables(argv);
  // Intake allocates and frees many medium-sized buffers (whole messages, decoded parts): with
  // glibc's defaults each one past the dynamic mmap threshold is a fresh mapping and page faults.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
}

int available_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  const int n = CPU_COUNT(&set);
  return n < 1 ? 1 : n;
}

}  // namespace kz
