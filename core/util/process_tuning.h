// Process-wide settings for programs that move and compute large tensors next to other such
// programs on the same cores (a devnet's miners, the client, the benchmarks).
#pragma once

namespace nesa {

/// Call first thing in main:
/// - OpenMP threads sleep instead of spinning while idle: when OMP_WAIT_POLICY is unset it is
///   set to PASSIVE and the program re-executed with the same arguments (the OpenMP runtime
///   reads it only when it loads), so miners and client stop stealing each other's cores;
/// - glibc grows the heap in transparent huge pages (GLIBC_TUNABLES glibc.malloc.hugetlb=1,
///   added the same way), so a first query faults in 2 MiB at a time, not 4 KiB;
/// - large buffers (multi-MiB shares, a scan's activations up to 1 GiB) come from the heap and
///   are reused instead of being mapped and zeroed afresh for every use (glibc's mmap and trim
///   thresholds, one arena for all threads).
void tuneProcess(char **argv);

} // namespace nesa
