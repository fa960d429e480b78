// The GPU probe of a build without CUDA: there is never a device to use.
#include "gpu/device_probe.h"

namespace nesa::gpu {

Report probe() {
  Report report;
  report.reason = "this build has no CUDA backend (nvcc was not found when it was configured)";
  return report;
}

Result<void> selfTest(int) { return fail(ErrorCode::Unavailable, probe().reason); }

} // namespace nesa::gpu
