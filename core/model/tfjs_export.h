// TensorFlow.js layers models to TorchScript: the Keras layers a convolutional classifier is
// made of (Conv2D, DepthwiseConv2D, BatchNormalization, ReLU/Activation, Add, Concatenate,
// ZeroPadding2D, pooling, Flatten, Dense, Dropout), channels-last turned channels-first.
// Anything else is refused with the layer's name and class.
#pragma once

#include "ingest/tfjs_model.h"
#include "util/result.h"

#include <filesystem>
#include <vector>

namespace nesa::model {

/// Writes `model` to `out` as a TorchScript module that takes float NCHW input (the values the
/// TF.js model takes, channels first) and returns what the TF.js model returns (probabilities
/// when its last layer has a softmax). Returns the input shape, [1, C, H, W] or [1, F].
Result<std::vector<std::int64_t>> exportTfjsToTorchScript(const ingest::TfjsModel &model,
                                                          const std::filesystem::path &out);

} // namespace nesa::model
