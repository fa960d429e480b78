// Tensors for engine and network tests: random inputs, and how far two outputs are apart.
#pragma once

#include "model/tensor_data.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace nesa::testing {

/// Standard-normal float32 values of `shape` from `seed`.
inline model::TensorData randomInput(const std::vector<std::int64_t> &shape, std::uint64_t seed) {
  std::mt19937 rng(static_cast<std::uint32_t>(seed));
  std::normal_distribution<float> normal;
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  std::vector<float> values(static_cast<std::size_t>(n));
  for (auto &v : values)
    v = normal(rng);
  return model::TensorData::fromFloats(shape, values);
}

/// max |a − b| / max |b|
inline double relativeError(const model::TensorData &a, const model::TensorData &b) {
  const auto x = a.toFloats(), y = b.toFloats();
  double diff = 0, scale = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    diff = std::max(diff, std::abs(double(x[i]) - y[i]));
    scale = std::max(scale, std::abs(double(y[i])));
  }
  return diff / scale;
}

} // namespace nesa::testing
