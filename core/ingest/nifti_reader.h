// NIfTI-1 and NIfTI-2 volumes (.nii, .nii.gz) through the nifti2 C library.
#pragma once

#include "ingest/volume.h"
#include "util/result.h"

#include <filesystem>

namespace nesa::ingest {

/// Whether `file`'s name says NIfTI: it ends in .nii or .nii.gz.
bool isNiftiName(const std::filesystem::path &file);

/// Reads a 3-D or 4-D NIfTI file with its sform (or qform) orientation. Corrupt for anything the
/// library cannot read; InvalidInput for complex or RGB data and volumes over 2^31 voxels.
Result<Volume> readNifti(const std::filesystem::path &file);

} // namespace nesa::ingest
