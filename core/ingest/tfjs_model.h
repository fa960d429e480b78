// TensorFlow.js models (model.json + binary weight shards), read and checked without building
// anything: a layers model's Keras topology as a list of layers, a graph model's TensorFlow
// nodes in an order where each follows its inputs, and every weight dequantized to float32
// (uint8, uint16 and float16 quantization included). core/model turns the result into
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

/// One TensorFlow node of a graph model.
struct TfjsNode {
  std::string name;
  std::string op;                  ///< "Conv2D", "_FusedConv2D", "Const", ...
  std::vector<std::string> inputs; ///< the nodes feeding it (output 0 of each; no control inputs)
  std::string attrJson; ///< its attributes as a JSON object of plain values: strings decoded,
                        ///< lists as arrays, shapes as arrays of sizes (-1 for unknown)
};

/// A whole model with one input and one output: a layers model (`layers`) or a graph model
/// (`graph`, `nodes`).
struct TfjsModel {
  bool graph = false;                   ///< a graph model (format "graph-model")
  std::vector<TfjsLayer> layers;        ///< in the order stored, each after the layers feeding it
  std::vector<TfjsNode> nodes;          ///< a graph model's nodes, each after its inputs
  std::string input, output;            ///< layer or node names
  std::vector<std::int64_t> inputShape; ///< with batch 1, channels last (NHWC) for images
  std::map<std::string, TfjsWeight> weights; ///< by manifest name: "Conv1/kernel", or a
                                             ///< graph model's Const node name
};

/// Parses model.json text with its shards' bytes (in the manifest's path order, concatenated
/// per group as TensorFlow.js does). Errors say what is wrong: not JSON, an unsupported
/// topology, a graph with a cycle or a missing node, absurd shapes, shards shorter or longer
/// than the manifest says.
Result<TfjsModel> parseTfjsModel(const std::string &modelJson,
                                 const std::vector<std::string> &shards);

/// Reads model.json and the shards it names (relative to its folder; paths that leave the
/// folder are refused), then parses them.
Result<TfjsModel> readTfjsModel(const std::filesystem::path &modelJson);

/// Shard paths named by a model.json, in order (for readers that fetch them themselves).
Result<std::vector<std::string>> tfjsShardPaths(const std::string &modelJson);

} // namespace nesa::ingest
