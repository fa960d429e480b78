// What GPUs this machine has, and a self-test that proves one computes correctly.
#pragma once

#include "util/result.h"

#include <cstddef>
#include <string>
#include <vector>

namespace nesa::gpu {

/// One CUDA device as the driver reports it.
struct DeviceInfo {
  int index = 0;
  std::string name;
  std::size_t memoryBytes = 0;
  int computeMajor = 0; ///< compute capability, e.g. 9.0 for H100/H200
  int computeMinor = 0;
};

/// The outcome of looking for GPUs; "no GPU" is a normal outcome, not an error.
struct Report {
  bool builtWithCuda = false;      ///< this binary contains the CUDA backend
  std::vector<DeviceInfo> devices; ///< empty when there is no usable device
  std::string reason;              ///< why devices is empty ("no GPU: driver not loaded", ...)
};

/// Asks the CUDA runtime for devices. Any runtime error (no driver, no device, driver too old)
/// yields an empty device list with the reason, never a crash.
Report probe();

/// Runs a small kernel (an element-wise multiply-add over 1 Mi floats) on `device` and checks
/// every element against the CPU. Unavailable when there is no such device.
Result<void> selfTest(int device = 0);

/// A few human-readable lines describing `report`, for `nesa gpu` and logs.
std::string describe(const Report &report);

} // namespace nesa::gpu
