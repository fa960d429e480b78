// Writing a segmentation as a NIfTI file a viewer lays over the scan it came from.
#pragma once

#include "ingest/label_map.h"
#include "util/result.h"

#include <filesystem>
#include <string>

namespace nesa::ingest {

/// Writes `labels` to `file` (.nii, or .nii.gz compressed) as NIfTI-1: unsigned 8-bit labels
/// (intent "label"), the grid's voxel size, and its affine as both sform and qform in RAS+ (a
/// DICOM scan's LPS+ is turned), so the labels lie on the scan in any viewer. `description`
/// (at most 79 bytes are kept) goes in the header. The file appears whole (read back and
/// compared before it takes its name) or not at all.
Result<void> writeNiftiLabels(const std::filesystem::path &file, const LabelMap &labels,
                              const std::string &description);

} // namespace nesa::ingest
