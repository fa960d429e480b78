#include "util/process_tuning.h"

#include <cstdlib>
#include <malloc.h>
#include <unistd.h>

namespace nesa {

void tuneProcess(char **argv) {
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    ::setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
    ::execv("/proc/self/exe", argv); // returns only on failure, which is harmless
  }
  ::mallopt(M_MMAP_THRESHOLD, 64 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 512 << 20);
}

} // namespace nesa
