// A segmentation put back where the scan is: a label per voxel of the scan's own grid, from the
// labels a model gave on its grid (resampled, cropped, maybe cut into slices).
#pragma once

#include "ingest/preprocess.h"
#include "util/result.h"

#include <cstdint>
#include <vector>

namespace nesa::ingest {

/// A label (a class index) per voxel of `grid`, [z, y, x] with x fastest.
struct LabelMap {
  VoxelGrid grid;
  std::vector<std::uint8_t> labels;
};

/// `modelLabels`, laid out as the model saw the volume ([z, y, x] of the model's grid, or its
/// slices as preprocess cut them), put onto the source scan's grid: each source voxel takes the
/// label of the model voxel nearest its centre, 0 (background) outside the model's field of
/// view. InvalidInput when the labels do not fill the model's grid or an affine is singular.
Result<LabelMap> labelsOnSourceGrid(const std::vector<std::uint8_t> &modelLabels,
                                    const PreparedGeometry &geometry);

} // namespace nesa::ingest
