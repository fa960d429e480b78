#include "privacy/internal/channel_transform.h"

#include <ATen/ATen.h>

#include <cmath>
#include <numeric>

namespace nesa::privacy {
namespace {

// The scales as a tensor of x's dtype shaped to broadcast along `dim` of an unflattened view.
at::Tensor scaleAlong(const std::vector<double> &scale, const at::Tensor &view, std::int64_t dim) {
  std::vector<std::int64_t> shape(static_cast<std::size_t>(view.dim()), 1);
  shape[static_cast<std::size_t>(dim)] = static_cast<std::int64_t>(scale.size());
  return at::tensor(scale, at::kDouble).to(view.scalar_type()).view(shape);
}

} // namespace

ChannelTransform ChannelTransform::identity(std::int64_t channels) {
  ChannelTransform t;
  t.perm.resize(static_cast<std::size_t>(channels));
  std::iota(t.perm.begin(), t.perm.end(), 0);
  t.scale.assign(static_cast<std::size_t>(channels), 1.0);
  return t;
}

ChannelTransform ChannelTransform::draw(const Seed &seed, std::int64_t channels, bool permute,
                                        bool scaled) {
  auto t = identity(channels);
  const auto n = static_cast<std::size_t>(channels);
  std::vector<double> uniform(2 * n); // [−1, 1): n for the shuffle, n for the scales
  expandUniform(seed, 0, uniform.data(), uniform.size());
  if (permute)
    for (std::size_t i = n; i > 1; --i) {
      const auto j = static_cast<std::size_t>((uniform[i - 1] + 1) / 2 * static_cast<double>(i));
      std::swap(t.perm[i - 1], t.perm[std::min(j, i - 1)]);
    }
  if (scaled)
    for (std::size_t i = 0; i < n; ++i)
      t.scale[i] = std::exp2(uniform[n + i]);
  return t;
}

bool ChannelTransform::isIdentity() const {
  for (std::size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<std::int64_t>(i) || scale[i] != 1.0)
      return false;
  return true;
}

ChannelTransform ChannelTransform::reciprocal() const {
  ChannelTransform t = *this;
  for (auto &s : t.scale)
    s = 1.0 / s;
  return t;
}

at::Tensor ChannelTransform::apply(const at::Tensor &x, std::int64_t dim,
                                   std::int64_t block) const {
  if (dim < 0)
    dim += x.dim();
  auto view = x.unflatten(dim, {channels(), block});
  auto scaled = view * scaleAlong(scale, view, dim);
  auto out = at::empty_like(scaled);
  out.index_copy_(dim, at::tensor(perm, at::kLong), scaled);
  return out.flatten(dim, dim + 1);
}

at::Tensor ChannelTransform::invert(const at::Tensor &y, std::int64_t dim,
                                    std::int64_t block) const {
  if (dim < 0)
    dim += y.dim();
  auto view = y.unflatten(dim, {channels(), block});
  auto picked = view.index_select(dim, at::tensor(perm, at::kLong));
  return (picked / scaleAlong(scale, picked, dim)).flatten(dim, dim + 1);
}

} // namespace nesa::privacy
