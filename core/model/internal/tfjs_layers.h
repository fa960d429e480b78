// The TF.js converters' internals: the layers-model program (tfjs_export.cpp holds the layers a
// convolutional classifier is made of, tfjs_layers_more.cpp the rest of the Keras applications'
// layers) and the graph-model converter (tfjs_graph_export.cpp).
#pragma once

#include "ingest/tfjs_model.h"
#include "model/internal/tfjs_program.h"

#include <nlohmann/json.hpp>

#include <map>
#include <utility>

namespace nesa::model::tfjs {

/// "cannot import layer NAME (CLASS): why".
Error unsupported(const ingest::TfjsLayer &layer, const std::string &why);

/// A Keras size, count or axis; throws std::invalid_argument for anything but a whole number
/// (a float, even 2.0, is refused: no Keras export writes one).
std::int64_t wholeNumber(const nlohmann::json &v);

/// `object[key]` as a whole number, or `fallback` where the key is absent.
std::int64_t wholeNumberOr(const nlohmann::json &object, const char *key, std::int64_t fallback);

/// `object[key]` as a list of whole numbers, or `fallback` where the key is absent.
std::vector<std::int64_t> wholeNumbers(const nlohmann::json &object, const char *key,
                                       std::vector<std::int64_t> fallback = {});

/// A Keras size written as one number or a pair.
std::pair<std::int64_t, std::int64_t> pairOf(const nlohmann::json &v);

/// A value in the generated program: its variable and its shape without the batch ({C, H, W}
/// for images, channels first; {F} for flat features).
struct Value {
  std::string var;
  std::vector<std::int64_t> shape;
};

/// Converts a layers model layer by layer into one TorchScript module.
class LayersProgram {
public:
  explicit LayersProgram(const ingest::TfjsModel &model) : m_model(model), m_writer("TfjsImport") {}

  /// Writes the module to `out`; returns its input shape.
  Result<std::vector<std::int64_t>> build(const std::filesystem::path &out);

private:
  const ingest::TfjsModel &m_model;
  ScriptWriter m_writer;
  std::map<std::string, Value> m_values;

  std::string param(const at::Tensor &t) { return m_writer.param(t); }
  std::string emit(const std::string &expression) { return m_writer.emit(expression); }
  /// The layer's weight NAME/suffix (or one ending in /NAME/suffix), if the model has it.
  const ingest::TfjsWeight *findWeight(const ingest::TfjsLayer &layer,
                                       const std::string &suffix) const;
  /// A normalization's gamma and beta (ones and zeros where `scale` or `center` is off).
  Result<std::pair<at::Tensor, at::Tensor>> scaleAndCentre(const ingest::TfjsLayer &layer,
                                                           const nlohmann::json &config,
                                                           std::int64_t channels) const;
  /// That weight as a tensor, if its shape is `expected`.
  Result<at::Tensor> weight(const ingest::TfjsLayer &layer, const std::string &suffix,
                            std::vector<std::int64_t> expected) const;
  /// The expression for activation `name` applied to `var` ("linear": `var` itself).
  Result<std::string> activate(const ingest::TfjsLayer &layer, const std::string &var,
                               const std::string &name);
  /// The layer's bias of `count` values as a parameter, or "None" where `use_bias` is off.
  Result<std::string> biasOf(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                             std::int64_t count);
  /// `var` under the layer's `activation` (linear by default), as a value of `shape`.
  Result<Value> activated(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                          const std::string &var, std::vector<std::int64_t> shape);
  Result<Value> convert(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                        const std::vector<Value> &inputs);
  Result<Value> convolution(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                            const Value &in, bool depthwise);
  Result<Value> pooling(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                        const Value &in, bool max);
  // tfjs_layers_more.cpp: separable and transposed convolutions, cropping, upsampling, layer
  // normalization, rescaling, reshaping and permuting, the remaining merges and activations.
  Result<Value> convertMore(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                            const std::vector<Value> &inputs);
  Result<Value> separable(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                          const Value &in);
  Result<Value> transposed(const ingest::TfjsLayer &layer, const nlohmann::json &config,
                           const Value &in);
};

/// Converts a graph model (tfjs_graph_export.cpp); returns its input shape.
Result<std::vector<std::int64_t>> exportGraph(const ingest::TfjsModel &model,
                                              const std::filesystem::path &out);

} // namespace nesa::model::tfjs
