// The miner's heavy arithmetic on a GPU: float64 matrix products and convolutions, on host
// memory in and out (the share arithmetics build everything else on these two). Kernels of
// ours: no cuBLAS/cuDNN at run time, so programs start on machines without them.
#pragma once

#include "util/result.h"

#include <cstdint>

namespace nesa::gpu {

/// The shape of one N-d convolution (N = 1, 2 or 3) over NC(D)HW float64 data.
struct ConvGeometry {
  int dims = 2;
  std::int64_t batch = 1, inChannels = 1, outChannels = 1, groups = 1;
  std::int64_t input[3] = {1, 1, 1}; ///< spatial sizes, first `dims` used
  std::int64_t kernel[3] = {1, 1, 1};
  std::int64_t stride[3] = {1, 1, 1};
  std::int64_t padding[3] = {0, 0, 0};
  std::int64_t dilation[3] = {1, 1, 1};
  std::int64_t output[3] = {1, 1, 1}; ///< derived by complete()

  /// Fills `output` from the rest; false when the geometry is impossible.
  bool complete();
  /// Elements of one output channel of one image (the product of `output`).
  std::int64_t outputSpatial() const;
  /// Multiply-adds per output element: (inChannels / groups) × the product of `kernel`.
  std::int64_t patchSize() const;
};

/// True when this build has the CUDA kernels (a device may still be missing).
bool hasKernels();

/// y[M×N] = x[M×K] · w[N×K]ᵀ in float64 on `device`.
Result<void> linearF64(const double *x, const double *w, double *y, std::int64_t m, std::int64_t k,
                       std::int64_t n, int device);

/// y = conv(x, w) in float64 on `device`, without bias. x is [batch, inChannels, input...],
/// w is [outChannels, inChannels/groups, kernel...], y is [batch, outChannels, output...].
Result<void> convF64(const double *x, const double *w, double *y, const ConvGeometry &geometry,
                     int device);

} // namespace nesa::gpu
