// TensorFlow.js models to TorchScript. Layers models: the Keras layers of the standard
// applications (convolutions plain, depthwise and separable, normalizations, pooling with
// TensorFlow's "same" padding, cropping, upsampling, merges, reshaping, Dense) turned channels
// first. Graph models: the TensorFlow op set of converted image and tabular models
// (tfjs_graph_export.cpp; docs/models.md lists both). Anything else is refused with the
// layer's or node's name.
#pragma once

#include "ingest/tfjs_model.h"
#include "util/result.h"

#include <filesystem>
#include <vector>

namespace nesa::model {

/// Writes `model` (layers or graph) to `out` as a TorchScript module that takes float NCHW input
/// (the values the TF.js model takes, channels first) and returns what the TF.js model returns
/// (probabilities when its last layer has a softmax; an image channels first). Returns the
/// input shape, [1, C, H, W] or [1, F].
Result<std::vector<std::int64_t>> exportTfjsToTorchScript(const ingest::TfjsModel &model,
                                                          const std::filesystem::path &out);

} // namespace nesa::model
