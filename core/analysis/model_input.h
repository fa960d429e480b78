// The model's input tensor from the user's file: an .npy array as it is, or a scan or an image
// prepared as the model's manifest says.
#pragma once

#include "ingest/model_manifest.h"
#include "ingest/preprocess.h"
#include "ingest/volume.h"
#include "model/tensor_data.h"
#include "util/result.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace nesa::analysis {

/// A model's input, ready.
struct PreparedInput {
  model::TensorData tensor; ///< shaped to the model's inputShape
  /// For a scan: where its voxels were and where the model sees them (to put a segmentation
  /// back on the scan). None for arrays and images.
  std::optional<ingest::PreparedGeometry> geometry;
  /// For a DICOM scan: its study, series and images, for results stored back beside it.
  std::optional<ingest::DicomSource> dicom;
};

/// Reads `input` (.npy; a NIfTI file, a DICOM file, series folder or DICOMDIR; an image) and
/// prepares it for a model described by `manifest`, shaped to its inputShape. Patient details a
/// scan carries stay here; `onNotice` hears how many were kept back.
Result<PreparedInput> loadInput(const std::filesystem::path &input,
                                const std::optional<ingest::ModelManifest> &manifest,
                                const std::function<void(const std::string &)> &onNotice);

} // namespace nesa::analysis
