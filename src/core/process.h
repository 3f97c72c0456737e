// Process-wide settings for bulk work (kizuna's main, benchmarks): call first thing in main().
#pragma once

namespace kz {

// Keeps message-sized buffers in the heap (glibc would otherwise mmap and unmap each one past
// its dynamic threshold), backs the heap with transparent huge pages and lets each thread keep
// 512 freed small chunks per size instead of 7: glibc reads the tunables glibc.malloc.hugetlb=1
// and glibc.malloc.tcache_count=512 only at process start, so the process executes itself again
// once with them set (same pid, arguments and descriptors). KIZUNA_NO_HUGEPAGES=1 skips the
// re-execution; if exec fails the process goes on with glibc's defaults. Measured on 20,000
// messages: 34,000 -> 3,000 page faults and ingest 3.4 -> 2.7 s with huge pages; the chunk cache
// 1.83 -> 1.77 s, and 1,288M -> 1,272M instructions for 2,000 (docs/perf.md).
void tune_allocator_for_bulk_work(char** argv);

// The CPUs this process may run on (its affinity mask, so `taskset -c 1` gives 1); at least 1.
int available_cpus();

}  // namespace kz
