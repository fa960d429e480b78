// A medical volume read from disk: voxels in physical units, geometry, and what stays private.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nesa::ingest {

/// Where a DICOM scan came from: what a result stored back beside it must reference, and the
/// patient and study attributes it copies. Like Volume::identifying, it never leaves this computer
/// except inside results the user sends back to the scan's own PACS.
struct DicomSource {
  std::string studyInstanceUid;
  std::string seriesInstanceUid;
  std::string frameOfReferenceUid; ///< "" when the source has none
  std::string sopClassUid;         ///< of the source images
  /// The source images: one per slice in the volume's z order, or a single multi-frame image
  /// whose frames are the slices.
  std::vector<std::string> sopInstanceUids;
  /// Patient and study attributes to copy into results as they are: the tag (group << 16 |
  /// element) and its value.
  std::vector<std::pair<std::uint32_t, std::string>> patientAndStudy;
  /// Every image states where it lies (image position, orientation and pixel spacing): without
  /// that a result cannot be placed in the source's frame of reference.
  bool hasGeometry = false;
};

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
  /// For a DICOM scan: its study, series and images (none for other formats).
  std::optional<DicomSource> dicom;

  /// Number of voxels (the product of shape).
  std::int64_t count() const;
};

} // namespace nesa::ingest
