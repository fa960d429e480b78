#include "ingest/tfjs_model.h"

#include "ingest/internal/file_bytes.h"
#include "ingest/internal/json_object.h"
#include "ingest/internal/tfjs_graph.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>

namespace nesa::ingest {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::int64_t kMaxDimension = std::int64_t{1} << 24;
constexpr std::int64_t kMaxWeightValues = std::int64_t{1} << 29;
constexpr std::int64_t kMaxInputValues = std::int64_t{1} << 28;
constexpr std::uintmax_t kMaxModelJsonBytes = 64u << 20;
constexpr std::uintmax_t kMaxShardBytes = std::uintmax_t{2} << 30;

Error invalid(const std::string &what) {
  return fail(ErrorCode::InvalidInput, "model.json: " + what);
}

float halfToFloat(std::uint16_t h) {
  const std::uint32_t sign = (h >> 15) & 1u, exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24); // subnormal
  else if (exponent == 31)
    magnitude =
        mantissa ? std::numeric_limits<float>::quiet_NaN() : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400u), static_cast<int>(exponent) - 25);
  return sign ? -magnitude : magnitude;
}

// The weights of the manifest, read one after another from the concatenated shards.
Result<std::map<std::string, TfjsWeight>> readWeights(const json &manifest,
                                                      const std::string &bytes) {
  std::map<std::string, TfjsWeight> weights;
  std::size_t offset = 0;
  for (const auto &group : manifest) {
    for (const auto &spec : group.at("weights")) {
      const std::string name = spec.at("name").get<std::string>();
      TfjsWeight weight;
      std::int64_t count = 1;
      for (const auto &d : spec.at("shape")) {
        if (!d.is_number_integer())
          return invalid("weight " + name +
                         " has a size that is not a whole number: " + d.dump().substr(0, 32));
        const auto dimension = d.get<std::int64_t>();
        if (dimension < 0 || dimension > kMaxDimension)
          return invalid("weight " + name + " has an absurd dimension " +
                         std::to_string(dimension));
        weight.shape.push_back(dimension);
        count *= dimension;
        if (count > kMaxWeightValues)
          return invalid("weight " + name + " is too large");
      }
      const std::string dtype = spec.at("dtype").get<std::string>();
      std::string stored = dtype;
      double scale = 1, minimum = 0;
      if (spec.contains("quantization")) {
        const auto &q = spec.at("quantization");
        stored = q.at("dtype").get<std::string>();
        if (stored == "uint8" || stored == "uint16") {
          scale = q.at("scale").get<double>();
          minimum = q.at("min").get<double>();
        } else if (stored != "float16") {
          return invalid("weight " + name + " has an unknown quantization \"" + stored + "\"");
        }
      }
      if (dtype != "float32" && dtype != "int32")
        return invalid("weight " + name + " has the unsupported dtype \"" + dtype + "\"");
      const std::size_t width = stored == "uint8"                           ? 1
                                : stored == "uint16" || stored == "float16" ? 2
                                                                            : 4;
      const auto n = static_cast<std::size_t>(count);
      if (bytes.size() - offset < n * width)
        return invalid("the weight shards end inside weight " + name + " (they hold " +
                       std::to_string(bytes.size()) + " bytes)");
      weight.values.resize(n);
      const auto *p = reinterpret_cast<const unsigned char *>(bytes.data() + offset);
      for (std::size_t i = 0; i < n; ++i) {
        if (stored == "uint8") {
          weight.values[i] = static_cast<float>(p[i] * scale + minimum);
        } else if (stored == "uint16") {
          std::uint16_t q;
          std::memcpy(&q, p + 2 * i, 2);
          weight.values[i] = static_cast<float>(q * scale + minimum);
        } else if (stored == "float16") {
          std::uint16_t h;
          std::memcpy(&h, p + 2 * i, 2);
          weight.values[i] = halfToFloat(h);
        } else if (stored == "int32") {
          std::int32_t v;
          std::memcpy(&v, p + 4 * i, 4);
          weight.values[i] = static_cast<float>(v);
        } else {
          std::memcpy(&weight.values[i], p + 4 * i, 4);
        }
      }
      offset += n * width;
      if (!weights.emplace(name, std::move(weight)).second)
        return invalid("weight " + name + " appears twice");
    }
  }
  if (offset != bytes.size())
    return invalid("the weight shards hold " + std::to_string(bytes.size()) +
                   " bytes but the manifest describes " + std::to_string(offset));
  return weights;
}

// ["name", 0, 0, {...}] or [["name", 0, 0]]: the first layer name in a Keras reference list.
std::vector<std::string> layerNames(const json &references) {
  std::vector<std::string> names;
  if (references.is_array() && !references.empty() && references.front().is_string()) {
    names.push_back(references.front().get<std::string>());
    return names;
  }
  for (const auto &r : references)
    names.push_back(r.at(0).get<std::string>());
  return names;
}

Result<std::vector<std::int64_t>> inputShapeOf(const json &config) {
  const char *key = config.contains("batch_input_shape") ? "batch_input_shape" : "batch_shape";
  if (!config.contains(key))
    return invalid("the input layer has no batch_input_shape");
  std::vector<std::int64_t> shape;
  std::int64_t values = 1;
  for (const auto &d : config.at(key)) {
    if (d.is_null()) {
      if (!shape.empty() || d != config.at(key).front())
        return invalid("the model needs a fixed input size (the input shape has a null size)");
      shape.push_back(1); // the batch
      continue;
    }
    if (!d.is_number_integer())
      return invalid("the input shape has a size that is not a whole number: " +
                     d.dump().substr(0, 32));
    const auto dimension = d.get<std::int64_t>();
    if (shape.empty() && dimension != 1)
      return invalid("the input has a fixed batch of " + std::to_string(dimension) +
                     " (only one at a time is supported)");
    if (dimension <= 0 || dimension > kMaxDimension)
      return invalid("the input shape has an absurd size " + std::to_string(dimension));
    values *= dimension;
    if (values > kMaxInputValues)
      return invalid("the input is too large");
    shape.push_back(dimension);
  }
  if (shape.size() < 2)
    return invalid("the input shape has too few dimensions");
  return shape;
}

Result<TfjsModel> parseTopology(const json &topology) {
  const json &root = topology.contains("model_config") ? topology.at("model_config") : topology;
  const std::string className = root.at("class_name").get<std::string>();
  const json &config = root.at("config");
  TfjsModel model;
  std::set<std::string> defined;
  auto add = [&](TfjsLayer layer) -> Result<void> {
    for (const auto &input : layer.inputs)
      if (!defined.count(input))
        return invalid("layer " + layer.name + " uses " + input + " before it is defined");
    if (!defined.insert(layer.name).second)
      return invalid("two layers are named " + layer.name);
    model.layers.push_back(std::move(layer));
    return {};
  };
  if (className == "Sequential") {
    const json &layers = config.is_array() ? config : config.at("layers");
    std::string previous;
    for (const auto &l : layers) {
      TfjsLayer layer{l.at("config").at("name").get<std::string>(),
                      l.at("class_name").get<std::string>(),
                      l.at("config").dump(),
                      {}};
      if (previous.empty()) {
        auto shape = inputShapeOf(l.at("config"));
        if (!shape)
          return shape.error();
        model.inputShape = *shape;
        model.input = layer.className == "InputLayer" ? layer.name : "input";
        if (layer.className != "InputLayer") {
          if (auto r = add({model.input, "InputLayer", l.at("config").dump(), {}}); !r)
            return r.error();
          previous = model.input;
        }
      }
      if (!previous.empty())
        layer.inputs = {previous};
      previous = layer.name;
      if (auto r = add(std::move(layer)); !r)
        return r.error();
    }
    if (previous.empty())
      return invalid("the model has no layers");
    model.output = previous;
  } else if (className == "Model" || className == "Functional") {
    const auto inputs = layerNames(config.at("input_layers"));
    const auto outputs = layerNames(config.at("output_layers"));
    if (inputs.size() != 1 || outputs.size() != 1)
      return invalid("only models with one input and one output are supported");
    model.input = inputs.front();
    model.output = outputs.front();
    for (const auto &l : config.at("layers")) {
      TfjsLayer layer{l.at("name").get<std::string>(),
                      l.at("class_name").get<std::string>(),
                      l.at("config").dump(),
                      {}};
      const json &nodes = l.at("inbound_nodes");
      if (nodes.size() > 1)
        return invalid("layer " + layer.name + " is shared between several calls (unsupported)");
      if (!nodes.empty()) {
        if (!nodes.front().is_array())
          return invalid("layer " + layer.name + " uses a Keras 3 node format (unsupported)");
        layer.inputs = layerNames(nodes.front());
      }
      if (layer.name == model.input) {
        auto shape = inputShapeOf(l.at("config"));
        if (!shape)
          return shape.error();
        model.inputShape = *shape;
      }
      if (auto r = add(std::move(layer)); !r)
        return r.error();
    }
    if (!defined.count(model.input) || !defined.count(model.output))
      return invalid("the input or output layer is missing");
  } else {
    return invalid("the topology \"" + className + "\" is not a Keras Model or Sequential");
  }
  return model;
}

} // namespace

Result<TfjsModel> parseTfjsModel(const std::string &modelJson,
                                 const std::vector<std::string> &shards) {
  auto root = parseJsonObject(modelJson, "model.json");
  if (!root)
    return root.error();
  try {
    if (!root->contains("modelTopology") || !root->contains("weightsManifest"))
      return invalid("needs modelTopology and weightsManifest");
    Result<TfjsModel> model = TfjsModel{};
    if (root->value("format", std::string()) == "graph-model" ||
        root->at("modelTopology").contains("node")) {
      if (auto read = readGraphTopology(*root, *model); !read)
        return read.error();
    } else {
      model = parseTopology(root->at("modelTopology"));
      if (!model)
        return model.error();
    }
    std::string bytes;
    for (const auto &shard : shards)
      bytes += shard;
    auto weights = readWeights(root->at("weightsManifest"), bytes);
    if (!weights)
      return weights.error();
    model->weights = std::move(*weights);
    return model;
  } catch (const nlohmann::json::exception &e) {
    return invalid(std::string("unexpected structure (") + e.what() + ")");
  } catch (const std::invalid_argument &e) {
    return invalid(std::string("unexpected value (") + e.what() + ")");
  }
}

Result<std::vector<std::string>> tfjsShardPaths(const std::string &modelJson) {
  auto root = parseJsonObject(modelJson, "model.json");
  if (!root)
    return root.error();
  std::vector<std::string> paths;
  if (!root->contains("weightsManifest"))
    return paths; // parseTfjsModel says what is missing
  try {
    for (const auto &group : root->at("weightsManifest"))
      for (const auto &p : group.at("paths"))
        paths.push_back(p.get<std::string>());
  } catch (const nlohmann::json::exception &e) {
    return invalid(std::string("unexpected weightsManifest (") + e.what() + ")");
  }
  return paths;
}

Result<TfjsModel> readTfjsModel(const fs::path &modelJson) {
  auto text = readFileUpTo(modelJson, kMaxModelJsonBytes, modelJson.string() + " is too large");
  if (!text)
    return text.error();
  auto paths = tfjsShardPaths(*text);
  if (!paths)
    return paths.error().withContext(modelJson.string());
  std::vector<std::string> shards;
  std::uintmax_t total = 0;
  std::error_code ec;
  const fs::path folder = fs::canonical(fs::absolute(modelJson).parent_path(), ec);
  if (ec)
    return fail(ErrorCode::NotFound, "cannot read the folder of " + modelJson.string());
  for (const auto &p : *paths) {
    const fs::path relative(p);
    if (relative.is_absolute() || relative.empty() ||
        std::any_of(relative.begin(), relative.end(),
                    [](const fs::path &part) { return part == ".."; }))
      return invalid("the shard path \"" + p + "\" leaves the model's folder");
    // Nor through a symbolic link: its bytes would become weights, and weights go to miners.
    const fs::path resolved = fs::weakly_canonical(folder / relative, ec);
    const auto within =
        std::mismatch(folder.begin(), folder.end(), resolved.begin(), resolved.end()).first ==
        folder.end();
    if (ec || !within)
      return invalid("the shard path \"" + p + "\" leaves the model's folder (a symbolic link)");
    auto bytes =
        readFileUpTo(resolved, kMaxShardBytes - total, resolved.string() + " is too large");
    if (!bytes)
      return bytes.error();
    total += bytes->size();
    shards.push_back(std::move(*bytes));
  }
  auto model = parseTfjsModel(*text, shards);
  if (!model)
    return model.error().withContext(modelJson.string());
  return model;
}

} // namespace nesa::ingest
