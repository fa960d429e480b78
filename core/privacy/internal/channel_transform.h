// One EE transform of a tensor's channel axis: a permutation and positive per-channel scales.
#pragma once

#include "privacy/prg.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace nesa::privacy {

/// (T x)[perm[i]] = scale[i] · x[i] along one axis. A channel may span `block` consecutive
/// entries of that axis (the features a flatten made of one channel's pixels).
struct ChannelTransform {
  std::vector<std::int64_t> perm;
  std::vector<double> scale;

  /// The identity on `channels` channels.
  static ChannelTransform identity(std::int64_t channels);
  /// A transform drawn from `seed`: a uniform random permutation (Fisher–Yates) when `permute`,
  /// and scales log-uniform in [1/2, 2] when `scaled` (else all 1).
  static ChannelTransform draw(const Seed &seed, std::int64_t channels, bool permute, bool scaled);

  std::int64_t channels() const { return static_cast<std::int64_t>(perm.size()); }
  bool isIdentity() const;
  /// The same permutation with reciprocal scales (what a weight's input side needs).
  ChannelTransform reciprocal() const;
  /// T x along `dim` (negative counts from the end).
  at::Tensor apply(const at::Tensor &x, std::int64_t dim, std::int64_t block = 1) const;
  /// T⁻¹ y along `dim`.
  at::Tensor invert(const at::Tensor &y, std::int64_t dim, std::int64_t block = 1) const;
};

} // namespace nesa::privacy
