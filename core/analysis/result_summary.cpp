#include "analysis/result_summary.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace nesa::analysis {
namespace {

bool isSegmentation(const model::TensorData &output,
                    const std::optional<ingest::ModelManifest> &manifest) {
  return manifest && manifest->task == "segmentation" && output.shape.size() >= 3 &&
         output.shape[1] == static_cast<std::int64_t>(manifest->labels.size());
}

/// A classifier's labels with their probability: the values as they are when they already
/// are probabilities, else after a softmax.
std::vector<std::string> labelLines(const std::vector<float> &values,
                                    const std::vector<std::string> &labels) {
  double sum = 0;
  bool unit = true;
  for (float v : values)
    sum += v, unit = unit && v >= 0 && v <= 1;
  const bool probabilities = unit && std::abs(sum - 1) < 1e-3;
  const float top = *std::max_element(values.begin(), values.end());
  double total = 0;
  for (float v : values)
    total += std::exp(static_cast<double>(v - top));
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::ostringstream line;
    line << labels[i] << ": "
         << (probabilities ? values[i] : std::exp(static_cast<double>(values[i] - top)) / total);
    lines.push_back(line.str());
  }
  return lines;
}

} // namespace

std::vector<std::uint8_t> segmentationLabels(const model::TensorData &output,
                                             const std::optional<ingest::ModelManifest> &manifest) {
  if (!isSegmentation(output, manifest) || output.shape[1] > 256)
    return {};
  const auto values = output.toFloats();
  const auto classes = static_cast<std::size_t>(output.shape[1]);
  std::size_t plane = 1;
  for (std::size_t d = 2; d < output.shape.size(); ++d)
    plane *= static_cast<std::size_t>(output.shape[d]);
  const auto n = static_cast<std::size_t>(output.shape[0]);
  std::vector<std::uint8_t> labels(n * plane);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t p = 0; p < plane; ++p) {
      std::size_t best = 0;
      for (std::size_t c = 1; c < classes; ++c)
        if (values[(i * classes + c) * plane + p] > values[(i * classes + best) * plane + p])
          best = c;
      labels[i * plane + p] = static_cast<std::uint8_t>(best);
    }
  return labels;
}

std::vector<ClassVolume> classVolumes(const std::vector<std::uint8_t> &labels,
                                      const ingest::ModelManifest &manifest) {
  std::vector<ClassVolume> volumes(manifest.labels.size());
  for (std::uint8_t label : labels)
    if (label < volumes.size())
      ++volumes[label].voxels;
  const auto &spacing = manifest.preprocessing.spacing;
  for (std::size_t c = 0; c < volumes.size(); ++c) {
    volumes[c].label = manifest.labels[c];
    if (spacing)
      volumes[c].millilitres = static_cast<double>(volumes[c].voxels) * (*spacing)[0] *
                               (*spacing)[1] * (*spacing)[2] / 1000.0;
  }
  return volumes;
}

std::vector<ClassVolume> segmentationVolumes(const model::TensorData &output,
                                             const std::optional<ingest::ModelManifest> &manifest) {
  const auto labels = segmentationLabels(output, manifest);
  return labels.empty() ? std::vector<ClassVolume>() : classVolumes(labels, *manifest);
}

std::vector<std::string> describeVolumes(const std::vector<ClassVolume> &volumes) {
  std::vector<std::string> lines;
  for (const auto &volume : volumes) {
    std::ostringstream line;
    line << volume.label << ": " << volume.voxels << " voxels";
    if (volume.millilitres)
      line << " (" << *volume.millilitres << " mL)";
    lines.push_back(line.str());
  }
  return lines;
}

std::vector<std::string> summarizeOutput(const model::TensorData &output,
                                         const std::optional<ingest::ModelManifest> &manifest) {
  if (isSegmentation(output, manifest))
    return describeVolumes(segmentationVolumes(output, manifest));
  const auto values = output.toFloats();
  if (manifest && !manifest->labels.empty() && values.size() == manifest->labels.size())
    return labelLines(values, manifest->labels);
  std::ostringstream line;
  for (std::size_t i = 0; i < std::min<std::size_t>(values.size(), 8); ++i)
    line << (i ? " " : "") << values[i];
  if (values.size() > 8)
    line << " ...";
  return {line.str()};
}

} // namespace nesa::analysis
