// A medical volume read from disk: voxels in physical units, geometry, and what stays private.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace nesa::ingest {

/// Voxel values after rescaling (DICOM rescale slope/intercept, NIfTI scl_slope/scl_inter), in
/// row-major order with x fastest: shape is [z, y, x], or [t, z, y, x] for 4-D NIfTI.
struct Volume {
  std::vector<std::int64_t> shape;
  std::vector<float> voxels;
  std::array<double, 3> spacing{1, 1, 1}; ///< mm along x, y, z
  /// Voxel (i, j, k, 1) to world coordinates in mm. NIfTI: RAS+ (as the file states);
  /// DICOM: LPS+ (the patient coordinate system).
  std::array<std::array<double, 4>, 4> affine{};
  std::string coordinateSystem; ///< "RAS" or "LPS"
  std::string modality;         ///< "MR", "CT", ... ("" when the format does not say)
  std::string format;           ///< "NIfTI-1", "NIfTI-2", "DICOM (<transfer syntax>)"
  double windowCenter = 0;      ///< a display default
  double windowWidth = 0;
  /// Patient-identifying attributes (name, id, birth date, ...). They are shown to the user as
  /// "stays on this computer" and never leave it: nothing in the engine reads this field.
  std::map<std::string, std::string> identifying;

  /// Number of voxels (the product of shape).
  std::int64_t count() const;
};

} // namespace nesa::ingest
