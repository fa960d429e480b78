#include "ingest/label_map.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace nesa::ingest {
namespace {

using Affine = std::array<std::array<double, 4>, 4>;

/// The inverse of an affine [R t; 0 1]; none when R is singular.
std::optional<Affine> inverse(const Affine &a) {
  const double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                     a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                     a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  if (!std::isfinite(det) || std::abs(det) < 1e-12)
    return std::nullopt;
  Affine r{};
  r[0][0] = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
  r[0][1] = (a[0][2] * a[2][1] - a[0][1] * a[2][2]) / det;
  r[0][2] = (a[0][1] * a[1][2] - a[0][2] * a[1][1]) / det;
  r[1][0] = (a[1][2] * a[2][0] - a[1][0] * a[2][2]) / det;
  r[1][1] = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
  r[1][2] = (a[0][2] * a[1][0] - a[0][0] * a[1][2]) / det;
  r[2][0] = (a[1][0] * a[2][1] - a[1][1] * a[2][0]) / det;
  r[2][1] = (a[0][1] * a[2][0] - a[0][0] * a[2][1]) / det;
  r[2][2] = (a[0][0] * a[1][1] - a[0][1] * a[1][0]) / det;
  for (int i = 0; i < 3; ++i)
    r[i][3] = -(r[i][0] * a[0][3] + r[i][1] * a[1][3] + r[i][2] * a[2][3]);
  r[3] = {0, 0, 0, 1};
  return r;
}

Affine times(const Affine &a, const Affine &b) {
  Affine out{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 4; ++k)
        out[i][j] += a[i][k] * b[k][j];
  return out;
}

/// Slices as preprocess cut them back into [z, y, x] of a grid of `shape`.
std::vector<std::uint8_t> unslice(const std::vector<std::uint8_t> &labels,
                                  const std::array<std::int64_t, 3> &shape,
                                  Preprocessing::Slices slices) {
  if (slices == Preprocessing::Slices::None || slices == Preprocessing::Slices::Axial)
    return labels; // [z, y, x] already
  const auto nz = shape[0], ny = shape[1], nx = shape[2];
  std::vector<std::uint8_t> out(labels.size());
  std::size_t i = 0;
  if (slices == Preprocessing::Slices::Coronal) { // one slice per y: rows z, columns x
    for (std::int64_t y = 0; y < ny; ++y)
      for (std::int64_t z = 0; z < nz; ++z)
        for (std::int64_t x = 0; x < nx; ++x)
          out[static_cast<std::size_t>((z * ny + y) * nx + x)] = labels[i++];
  } else { // sagittal: one slice per x: rows z, columns y
    for (std::int64_t x = 0; x < nx; ++x)
      for (std::int64_t z = 0; z < nz; ++z)
        for (std::int64_t y = 0; y < ny; ++y)
          out[static_cast<std::size_t>((z * ny + y) * nx + x)] = labels[i++];
  }
  return out;
}

} // namespace

Result<LabelMap> labelsOnSourceGrid(const std::vector<std::uint8_t> &modelLabels,
                                    const PreparedGeometry &geometry) {
  const auto &m = geometry.model.shape;
  const auto &s = geometry.source.shape;
  if (m[0] <= 0 || m[1] <= 0 || m[2] <= 0 || s[0] <= 0 || s[1] <= 0 || s[2] <= 0 ||
      static_cast<std::int64_t>(modelLabels.size()) != m[0] * m[1] * m[2])
    return fail(ErrorCode::InvalidInput, "the segmentation has " +
                                             std::to_string(modelLabels.size()) +
                                             " labels; the model's grid has " +
                                             std::to_string(m[0] * m[1] * m[2]) + " voxels");
  const auto toModel = inverse(geometry.model.affine);
  if (!toModel)
    return fail(ErrorCode::InvalidInput, "the model's grid has a singular affine");
  const std::vector<std::uint8_t> onModelGrid = unslice(modelLabels, m, geometry.slices);
  // Source voxel → world → model voxel, as one affine.
  const Affine map = times(*toModel, geometry.source.affine);
  LabelMap out;
  out.grid = geometry.source;
  out.labels.assign(static_cast<std::size_t>(s[0] * s[1] * s[2]), 0);
  std::size_t i = 0;
  for (std::int64_t z = 0; z < s[0]; ++z)
    for (std::int64_t y = 0; y < s[1]; ++y)
      for (std::int64_t x = 0; x < s[2]; ++x, ++i) {
        double at[3];
        for (int r = 0; r < 3; ++r)
          at[r] = map[r][0] * static_cast<double>(x) + map[r][1] * static_cast<double>(y) +
                  map[r][2] * static_cast<double>(z) + map[r][3];
        // Each model voxel covers ±0.5 around its centre; a point on the field of view's
        // boundary belongs to the edge voxel (rounding would put it one past).
        const auto index = [](double v, std::int64_t size) -> std::int64_t {
          if (v < -0.5 || v > static_cast<double>(size) - 0.5)
            return -1;
          return std::clamp<std::int64_t>(std::lround(v), 0, size - 1);
        };
        const auto mx = index(at[0], m[2]), my = index(at[1], m[1]), mz = index(at[2], m[0]);
        if (mx < 0 || my < 0 || mz < 0)
          continue;
        out.labels[i] = onModelGrid[static_cast<std::size_t>((mz * m[1] + my) * m[2] + mx)];
      }
  return out;
}

} // namespace nesa::ingest
