#include "gpu/dense_ops.h"

namespace nesa::gpu {

bool ConvGeometry::complete() {
  if (dims < 1 || dims > 3 || batch < 1 || groups < 1 || inChannels % groups != 0 ||
      outChannels % groups != 0)
    return false;
  for (int d = 0; d < dims; ++d) {
    const std::int64_t span = dilation[d] * (kernel[d] - 1) + 1;
    if (stride[d] < 1 || kernel[d] < 1 || dilation[d] < 1 || input[d] + 2 * padding[d] < span)
      return false;
    output[d] = (input[d] + 2 * padding[d] - span) / stride[d] + 1;
  }
  return true;
}

std::int64_t ConvGeometry::outputSpatial() const {
  std::int64_t n = 1;
  for (int d = 0; d < dims; ++d)
    n *= output[d];
  return n;
}

std::int64_t ConvGeometry::patchSize() const {
  std::int64_t n = inChannels / groups;
  for (int d = 0; d < dims; ++d)
    n *= kernel[d];
  return n;
}

} // namespace nesa::gpu
