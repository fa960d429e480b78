// Index arithmetic of a convolution lowered to a matrix product ("im2col"), shared by the CUDA
// kernel and by the CPU test that checks it against a direct convolution.
#pragma once

#include "gpu/dense_ops.h"

#ifdef __CUDACC__
#define NESA_HOST_DEVICE __host__ __device__
#else
#define NESA_HOST_DEVICE
#endif

namespace nesa::gpu {

/// The patch matrix of image `b`, group `g` has patchSize() rows and outputSpatial() columns:
/// element (row, column) is the input value that kernel tap `row` sees at output position
/// `column` (zero in the padding). `x` points at the whole input.
NESA_HOST_DEVICE inline double patchValue(const ConvGeometry &c, const double *x, std::int64_t b,
                                          std::int64_t g, std::int64_t row, std::int64_t column) {
  const std::int64_t channelsPerGroup = c.inChannels / c.groups;
  std::int64_t taps = 1;
  for (int d = 0; d < c.dims; ++d)
    taps *= c.kernel[d];
  const std::int64_t channel = g * channelsPerGroup + row / taps;
  std::int64_t tap = row % taps, position = column;
  std::int64_t offset = 0, inputStride = 1;
  for (int d = c.dims - 1; d >= 0; --d) { // innermost spatial dimension last
    const std::int64_t k = tap % c.kernel[d], o = position % c.output[d];
    tap /= c.kernel[d];
    position /= c.output[d];
    const std::int64_t i = o * c.stride[d] - c.padding[d] + k * c.dilation[d];
    if (i < 0 || i >= c.input[d])
      return 0.0;
    offset += i * inputStride;
    inputStride *= c.input[d];
  }
  return x[(b * c.inChannels + channel) * inputStride + offset];
}

} // namespace nesa::gpu
