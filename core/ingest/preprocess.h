// Preparing a volume the way a model expects it: resampling, centred crop/pad, intensity
// normalization and 2-D slice extraction, as declared in the model's manifest. The client and
// the tests share this code, so what a model sees is reproducible.
#pragma once

#include "ingest/image_reader.h"
#include "ingest/volume.h"
#include "util/result.h"

#include <optional>
#include <string>

namespace nesa::ingest {

/// The "preprocessing" object of a model manifest.
struct Preprocessing {
  /// ZScoreForeground: mean and spread of the voxels brighter than a tenth of the 99.5th
  /// percentile (the subject, not the air around it), applied to every voxel.
  enum class Normalize { None, ZScore, ZScoreForeground, MinMax, Window };
  enum class Slices { None, Axial, Coronal, Sagittal };

  std::optional<std::array<double, 3>> spacing;     ///< resample to this voxel size (mm, x y z)
  std::optional<std::array<std::int64_t, 3>> shape; ///< then centre crop/pad to [z, y, x]
  float padValue = 0;
  Normalize normalize = Normalize::None;
  double windowCenter = 0; ///< for Normalize::Window: clamp to the window, map to [0, 1]
  double windowWidth = 0;
  Slices slices = Slices::None; ///< 2-D models: cut the volume into slices along this axis
};

/// Parses the JSON text of a preprocessing object, e.g.
/// {"spacing": [1, 1, 1], "shape": [128, 128, 128], "normalize": "zscore", "slices": "axial"}.
/// Unknown keys and out-of-range values are errors that name the key.
Result<Preprocessing> parsePreprocessing(const std::string &json);

/// Trilinear resampling to `spacing` (mm); the affine keeps mapping voxels to the same places.
Result<Volume> resample(const Volume &volume, const std::array<double, 3> &spacing);

/// Centred crop and/or pad to `shape` ([z, y, x]); padding takes `padValue`.
Volume cropOrPad(const Volume &volume, const std::array<std::int64_t, 3> &shape, float padValue);

/// Applies the intensity normalization in place.
void normalizeIntensities(Volume &volume, const Preprocessing &steps);

/// The volume cut into 2-D slices along an axis: shape [n, rows, columns] (axial: along z,
/// coronal: along y, sagittal: along x).
Volume slicesAlong(const Volume &volume, Preprocessing::Slices axis);

/// Where a volume's voxels lie: its [z, y, x] shape and the affine from voxel (x, y, z, 1) to
/// world coordinates in mm, in `coordinateSystem` ("RAS" for NIfTI, "LPS" for DICOM).
struct VoxelGrid {
  std::array<std::int64_t, 3> shape{};
  std::array<std::array<double, 4>, 4> affine{};
  std::string coordinateSystem;
};

/// Where preprocess() took a scan: the scan's own grid, the model's grid (after resampling and
/// cropping, before cutting slices) and the slicing — what it takes to put a result back.
struct PreparedGeometry {
  VoxelGrid source;
  VoxelGrid model;
  Preprocessing::Slices slices = Preprocessing::Slices::None;
};

/// Every step of `steps`, in order: resample, crop/pad, normalize, slices. 3-D volumes only.
/// `geometry`, when given, receives where the prepared voxels lie.
Result<Volume> preprocess(const Volume &volume, const Preprocessing &steps,
                          PreparedGeometry *geometry = nullptr);

/// An image as an image model takes it: resized to `height`×`width` with bilinear
/// interpolation that aligns the corner pixels (TensorFlow's resizeBilinear with alignCorners,
/// what TF.js models such as nsfwjs use), scaled to [0, 1], channels first, grey repeated to
/// fill `channels` (1 or 3). Errors for an empty image or other channel counts.
Result<std::vector<float>> prepareImage(const Image &image, std::int64_t channels,
                                        std::int64_t height, std::int64_t width);

} // namespace nesa::ingest
