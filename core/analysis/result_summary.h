// What a model's output means, in lines for people: a segmentation's volume per class, a
// classifier's probability per label, or the first values.
#pragma once

#include "ingest/model_manifest.h"
#include "model/tensor_data.h"

#include <cstdint>
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

/// The class of each voxel (or pixel) of a segmentation output ([N, classes, ...], argmax over
/// the classes), in the output's order without the class axis; empty unless `manifest` says the
/// model segments, the output has one channel per label and there are at most 256 labels.
std::vector<std::uint8_t> segmentationLabels(const model::TensorData &output,
                                             const std::optional<ingest::ModelManifest> &manifest);

/// Per class of `manifest`: its voxels among `labels` and, when the manifest resamples to a
/// known spacing, their volume.
std::vector<ClassVolume> classVolumes(const std::vector<std::uint8_t> &labels,
                                      const ingest::ModelManifest &manifest);

/// The segmentation's classes (classVolumes of segmentationLabels); empty when it is none.
std::vector<ClassVolume> segmentationVolumes(const model::TensorData &output,
                                             const std::optional<ingest::ModelManifest> &manifest);

/// A segmentation's classes, a line each: "label: N voxels (V mL)".
std::vector<std::string> describeVolumes(const std::vector<ClassVolume> &volumes);

/// `output` described a line each: "label: N voxels (V mL)", "label: probability", or its
/// first eight values.
std::vector<std::string> summarizeOutput(const model::TensorData &output,
                                         const std::optional<ingest::ModelManifest> &manifest);

} // namespace nesa::analysis
