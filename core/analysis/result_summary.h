// What a model's output means, in lines for people: a segmentation's volume per class, a
// classifier's probability per label, or the first values.
#pragma once

#include "ingest/model_manifest.h"
#include "model/tensor_data.h"

#include <optional>
#include <string>
#include <vector>

namespace nesa::analysis {

/// Per class of a segmentation ([N, classes, ...], argmax over classes): its voxels (or pixels)
/// and, when the manifest resamples to a known spacing, their volume in mL.
struct ClassVolume {
  std::string label;
  std::int64_t voxels = 0;
  std::optional<double> millilitres;
};

/// The segmentation's classes, when `manifest` says the model segments and the output has one
/// channel per label; empty otherwise.
std::vector<ClassVolume> segmentationVolumes(const model::TensorData &output,
                                             const std::optional<ingest::ModelManifest> &manifest);

/// `output` described a line each: "label: N voxels (V mL)", "label: probability", or its
/// first eight values.
std::vector<std::string> summarizeOutput(const model::TensorData &output,
                                         const std::optional<ingest::ModelManifest> &manifest);

} // namespace nesa::analysis
