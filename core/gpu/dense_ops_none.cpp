// A build without nvcc: the GPU arithmetic is absent, and says so.
#include "gpu/dense_ops.h"

namespace nesa::gpu {

namespace {
Error absent() {
  return fail(ErrorCode::Unavailable, "this build has no CUDA backend (built without nvcc)");
}
} // namespace

bool hasKernels() { return false; }

Result<void> linearF64(const double *, const double *, double *, std::int64_t, std::int64_t,
                       std::int64_t, int) {
  return absent();
}

Result<void> convF64(const double *, const double *, double *, const ConvGeometry &, int) {
  return absent();
}

} // namespace nesa::gpu
