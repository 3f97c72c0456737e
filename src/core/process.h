// Process-wide settings for bulk work (kizuna's main, benchmarks): call first thing in main().
#pragma once

namespace kz {

// Keeps message-sized buffers in the heap (glibc would otherwise mmap and unmap each one past
// its dynamic threshold) and backs the heap with transparent huge pages: glibc reads the tunable
// glibc.malloc.hugetlb=1 only at process start, so the process executes itself again once with
// it set (same pid, arguments and descriptors). KIZUNA_NO_HUGEPAGES=1 skips the re-execution;
// if exec fails the process goes on with normal pages. Measured on 20,000 messages: 34,000 ->
// 3,000 page faults and ingest 3.4 -> 2.7 s (docs/perf.md).
void tune_allocator_for_bulk_work(char** argv);

// The CPUs this process may run on (its affinity mask, so `taskset -c 1` gives 1); at least 1.
int available_cpus();

}  // namespace kz
