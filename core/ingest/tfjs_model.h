// TensorFlow.js layers models (model.json + binary weight shards), read and checked without
// building anything: the Keras topology as a list of layers and every weight dequantized to
// float32 (uint8, uint16 and float16 quantization included). core/model turns the result into
// TorchScript (model/tfjs_export.h).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace nesa::ingest {

/// One weight, dequantized.
struct TfjsWeight {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
};

/// One Keras layer of the topology.
struct TfjsLayer {
  std::string name;
  std::string className;           ///< "Conv2D", "BatchNormalization", ...
  std::string configJson;          ///< the layer's "config" object, as JSON text
  std::vector<std::string> inputs; ///< the layers feeding it, in order (none for the input)
};

/// A whole layers model with one input and one output.
struct TfjsModel {
  std::vector<TfjsLayer> layers;        ///< in the order stored, each after the layers feeding it
  std::string input, output;            ///< layer names
  std::vector<std::int64_t> inputShape; ///< Keras' batch_input_shape with batch 1 (NHWC)
  std::map<std::string, TfjsWeight> weights; ///< by manifest name, e.g. "Conv1/kernel"
};

/// Parses model.json text with its shards' bytes (in the manifest's path order, concatenated
/// per group as TensorFlow.js does). Errors say what is wrong: not JSON, a graph model, an
/// unsupported topology, absurd shapes, shards shorter or longer than the manifest says.
Result<TfjsModel> parseTfjsModel(const std::string &modelJson,
                                 const std::vector<std::string> &shards);

/// Reads model.json and the shards it names (relative to its folder; paths that leave the
/// folder are refused), then parses them.
Result<TfjsModel> readTfjsModel(const std::filesystem::path &modelJson);

/// Shard paths named by a model.json, in order (for readers that fetch them themselves).
Result<std::vector<std::string>> tfjsShardPaths(const std::string &modelJson);

} // namespace nesa::ingest
