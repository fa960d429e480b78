#include "util/process_tuning.h"

#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <string>
#include <sys/auxv.h>
#include <unistd.h>

namespace nesa {

namespace {

constexpr const char *kHugePages = "glibc.malloc.hugetlb=1";
constexpr const char *kReexecuted = "NESA_PROCESS_TUNED"; // set for the one re-execution

// Settings the C and OpenMP runtimes read only when the program loads: true when one was
// missing from the environment and has now been added.
bool addLoadTimeSettings() {
  bool added = false;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    added = true;
  }
  const char *tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables == nullptr || std::strstr(tunables, "glibc.malloc.hugetlb") == nullptr) {
    std::string value = tunables && *tunables ? std::string(tunables) + ":" : std::string();
    ::setenv("GLIBC_TUNABLES", (value + kHugePages).c_str(), 1);
    added = true;
  }
  return added;
}

} // namespace

void tuneProcess(char **argv) {
  // At most one re-execution: glibc drops tunables for programs started with privileges
  // (AT_SECURE), which would otherwise look missing on every start.
  const bool reexecuted = std::getenv(kReexecuted) != nullptr;
  ::unsetenv(kReexecuted); // the programs this one starts tune themselves
  if (!reexecuted && ::getauxval(AT_SECURE) == 0 && addLoadTimeSettings()) {
    ::setenv(kReexecuted, "1", 1);
    ::execv("/proc/self/exe", argv); // returns only on failure, which is harmless
    ::unsetenv(kReexecuted);
  }
  // A brain scan's activations are 100-300 MiB per layer. Above the mmap threshold every such
  // buffer is mapped afresh and each of its pages faulted in on first touch, which on a
  // virtualized machine cost more than all the arithmetic of a query (the brain model at hss:
  // 14.6 s against 4.1 s with the buffers reused; docs/benchmarks.md). So every allocation up
  // to 1 GiB comes from the heap, freed memory up to 1 GiB is kept for the next one, and all
  // threads share the main arena: a thread's own arena cannot grow past 64 MiB and maps
  // anything larger whatever the threshold (the miners compute on their connection threads).
  // The heap grows in transparent huge pages where the kernel offers them on request
  // (glibc.malloc.hugetlb=1 above): a first query then takes ~25 times fewer page faults.
  ::mallopt(M_MMAP_THRESHOLD, 1 << 30);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 30);
  ::mallopt(M_ARENA_MAX, 1);
}

} // namespace nesa
