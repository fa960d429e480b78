#include "model/tfjs_export.h"

#include "model/internal/tfjs_layers.h"

#include <nlohmann/json.hpp>
#include <torch/script.h>

#include <map>
#include <set>
#include <stdexcept>

namespace nesa::model::tfjs {

using nlohmann::json;

Error unsupported(const ingest::TfjsLayer &layer, const std::string &why) {
  return fail(ErrorCode::InvalidInput,
              "cannot import layer " + layer.name + " (" + layer.className + "): " + why);
}

std::int64_t wholeNumber(const json &v) {
  if (!v.is_number_integer())
    throw std::invalid_argument("a size or count is not a whole number: " + v.dump().substr(0, 32));
  return v.get<std::int64_t>();
}

std::int64_t wholeNumberOr(const json &object, const char *key, std::int64_t fallback) {
  return object.contains(key) ? wholeNumber(object.at(key)) : fallback;
}

std::vector<std::int64_t> wholeNumbers(const json &object, const char *key,
                                       std::vector<std::int64_t> fallback) {
  if (!object.contains(key))
    return fallback;
  std::vector<std::int64_t> out;
  for (const auto &v : object.at(key))
    out.push_back(wholeNumber(v));
  return out;
}

std::pair<std::int64_t, std::int64_t> pairOf(const json &v) {
  if (v.is_number())
    return {wholeNumber(v), wholeNumber(v)};
  return {wholeNumber(v.at(0)), wholeNumber(v.at(1))};
}

Result<at::Tensor> LayersProgram::weight(const ingest::TfjsLayer &layer, const std::string &suffix,
                                         std::vector<std::int64_t> expected) const {
  const std::string key = layer.name + "/" + suffix;
  const ingest::TfjsWeight *found = findWeight(layer, suffix);
  if (!found)
    return unsupported(layer, "its weight " + key + " is missing");
  if (found->shape != expected) {
    std::string shape;
    for (auto d : found->shape)
      shape += (shape.empty() ? "" : "x") + std::to_string(d);
    return unsupported(layer, "its weight " + key + " has the shape " + shape +
                                  ", which does not fit the layer");
  }
  return torch::from_blob(const_cast<float *>(found->values.data()), expected).clone();
}

Result<std::pair<at::Tensor, at::Tensor>>
LayersProgram::scaleAndCentre(const ingest::TfjsLayer &layer, const json &config,
                              std::int64_t channels) const {
  at::Tensor gamma = torch::ones({channels}), beta = torch::zeros({channels});
  if (config.value("scale", true)) {
    auto g = weight(layer, "gamma", {channels});
    if (!g)
      return g.error();
    gamma = *g;
  }
  if (config.value("center", true)) {
    auto b = weight(layer, "beta", {channels});
    if (!b)
      return b.error();
    beta = *b;
  }
  return std::pair{gamma, beta};
}

const ingest::TfjsWeight *LayersProgram::findWeight(const ingest::TfjsLayer &layer,
                                                    const std::string &suffix) const {
  const std::string key = layer.name + "/" + suffix;
  auto it = m_model.weights.find(key);
  if (it == m_model.weights.end())
    for (auto i = m_model.weights.begin(); i != m_model.weights.end(); ++i)
      if (i->first.size() > key.size() &&
          i->first.compare(i->first.size() - key.size() - 1, key.size() + 1, "/" + key) == 0)
        it = i;
  return it == m_model.weights.end() ? nullptr : &it->second;
}

Result<std::string> LayersProgram::activate(const ingest::TfjsLayer &layer, const std::string &var,
                                            const std::string &name) {
  if (name == "linear" || name.empty())
    return var;
  const std::map<std::string, std::string> forms = {
      {"relu", "torch.relu(X)"},
      {"relu6", "torch.clamp(X, 0.0, 6.0)"},
      {"sigmoid", "torch.sigmoid(X)"},
      {"tanh", "torch.tanh(X)"},
      {"softmax", "torch.softmax(X, 1)"},
      {"swish", "torch.silu(X)"},
      {"silu", "torch.silu(X)"},
      {"elu", "torch.elu(X, 1.0, 1.0, 1.0)"},
      {"softplus", "torch.softplus(X, 1.0, 20.0)"},
      {"hard_sigmoid", "torch.clamp(X * 0.2 + 0.5, 0.0, 1.0)"},
  };
  const auto form = forms.find(name);
  if (form == forms.end())
    return unsupported(layer, "the activation \"" + name + "\" is not supported");
  std::string expression = form->second;
  expression.replace(expression.find('X'), 1, var);
  return emit(expression);
}

Result<std::string> LayersProgram::biasOf(const ingest::TfjsLayer &layer, const json &config,
                                          std::int64_t count) {
  if (!config.value("use_bias", true))
    return std::string("None");
  auto b = weight(layer, "bias", {count});
  if (!b)
    return b.error();
  return param(*b);
}

Result<Value> LayersProgram::activated(const ingest::TfjsLayer &layer, const json &config,
                                       const std::string &var, std::vector<std::int64_t> shape) {
  auto y = activate(layer, var, config.value("activation", std::string("linear")));
  if (!y)
    return y.error();
  return Value{*y, std::move(shape)};
}

Result<Value> LayersProgram::convolution(const ingest::TfjsLayer &layer, const json &config,
                                         const Value &in, bool depthwise) {
  if (in.shape.size() != 3)
    return unsupported(layer, "it needs an image input");
  if (config.value("data_format", std::string("channels_last")) != "channels_last")
    return unsupported(layer, "only channels_last data is supported");
  const auto [kh, kw] = pairOf(config.at("kernel_size"));
  const auto [sh, sw] = pairOf(config.value("strides", json::array({1, 1})));
  const auto [dh, dw] = pairOf(config.value("dilation_rate", json::array({1, 1})));
  const std::string mode = config.value("padding", std::string("valid"));
  const std::int64_t channels = in.shape[0];
  const std::int64_t groups = depthwise ? channels : wholeNumberOr(config, "groups", 1);
  if (!windowFits({kh, kw, sh, sw}, {dh, dw}) || groups <= 0 || channels % groups != 0)
    return unsupported(layer, "its kernel, strides, dilation or groups are impossible");
  at::Tensor kernel;
  std::int64_t filters;
  if (depthwise) {
    const std::int64_t multiplier = wholeNumberOr(config, "depth_multiplier", 1);
    auto k = weight(layer, "depthwise_kernel", {kh, kw, channels, multiplier});
    if (!k)
      return k.error();
    filters = channels * multiplier;
    kernel = k->permute({2, 3, 0, 1}).reshape({filters, 1, kh, kw});
  } else {
    filters = wholeNumber(config.at("filters"));
    auto k = weight(layer, "kernel", {kh, kw, channels / groups, filters});
    if (!k)
      return k.error();
    kernel = k->permute({3, 2, 0, 1});
  }
  auto bias = biasOf(layer, config, filters);
  if (!bias)
    return bias.error();
  const Pads ph = paddingFor(mode, in.shape[1], kh, sh, dh),
             pw = paddingFor(mode, in.shape[2], kw, sw, dw);
  if (ph.output <= 0 || pw.output <= 0)
    return unsupported(layer, "its kernel is larger than its input");
  const std::string y =
      convolve(m_writer, in.var, kernel, *bias, {kh, kw, sh, sw}, {dh, dw}, ph, pw, groups);
  return activated(layer, config, y, {filters, ph.output, pw.output});
}

Result<Value> LayersProgram::pooling(const ingest::TfjsLayer &layer, const json &config,
                                     const Value &in, bool max) {
  if (in.shape.size() != 3)
    return unsupported(layer, "it needs an image input");
  Window window;
  std::tie(window.kh, window.kw) = pairOf(config.at("pool_size"));
  std::tie(window.sh, window.sw) = config.contains("strides") && !config.at("strides").is_null()
                                       ? pairOf(config.at("strides"))
                                       : std::pair{window.kh, window.kw};
  std::int64_t h = 0, w = 0;
  auto y = pool(m_writer, in.var, in.shape[1], in.shape[2], window,
                config.value("padding", std::string("valid")), max, h, w);
  if (!y)
    return unsupported(layer, y.error().message);
  return Value{*y, {in.shape[0], h, w}};
}

Result<Value> LayersProgram::convert(const ingest::TfjsLayer &layer, const json &config,
                                     const std::vector<Value> &inputs) {
  const std::string &kind = layer.className;
  static const std::set<std::string> merges = {"Add",     "Concatenate", "Multiply", "Subtract",
                                               "Average", "Maximum",     "Minimum"};
  if (!merges.count(kind) && inputs.size() != 1)
    return unsupported(layer, "it takes " + std::to_string(inputs.size()) + " inputs");
  if (kind == "Conv2D" || kind == "DepthwiseConv2D")
    return convolution(layer, config, inputs[0], kind == "DepthwiseConv2D");
  if (kind == "MaxPooling2D" || kind == "AveragePooling2D")
    return pooling(layer, config, inputs[0], kind == "MaxPooling2D");
  const Value &in = inputs[0];
  if (kind == "Dropout" || kind == "SpatialDropout2D" || kind == "GaussianNoise" ||
      kind == "GaussianDropout" || kind == "AlphaDropout")
    return in; // identities at inference
  if (kind == "ZeroPadding2D") {
    if (in.shape.size() != 3)
      return unsupported(layer, "it needs an image input");
    const json &p = config.at("padding");
    std::int64_t top, bottom, left, right;
    if (p.is_number()) {
      top = bottom = left = right = wholeNumber(p);
    } else if (p.at(0).is_number()) {
      top = bottom = wholeNumber(p.at(0));
      left = right = wholeNumber(p.at(1));
    } else {
      std::tie(top, bottom) = pairOf(p.at(0));
      std::tie(left, right) = pairOf(p.at(1));
    }
    if (std::min({top, bottom, left, right}) < 0 || std::max({top, bottom, left, right}) > 4096)
      return unsupported(layer, "its padding is impossible");
    const std::string y = emit("torch.constant_pad_nd(" + in.var + ", [" + std::to_string(left) +
                               ", " + std::to_string(right) + ", " + std::to_string(top) + ", " +
                               std::to_string(bottom) + "], 0.0)");
    return Value{y, {in.shape[0], in.shape[1] + top + bottom, in.shape[2] + left + right}};
  }
  if (kind == "BatchNormalization") {
    const auto axis = config.value("axis", json(-1));
    const std::int64_t a = axis.is_array() ? wholeNumber(axis.at(0)) : wholeNumber(axis);
    if (a != -1 && a != static_cast<std::int64_t>(in.shape.size()))
      return unsupported(layer, "only normalization over the channels is supported");
    const std::int64_t c = in.shape[0];
    auto mean = weight(layer, "moving_mean", {c});
    auto variance = weight(layer, "moving_variance", {c});
    if (!mean || !variance)
      return (!mean ? mean : variance).error();
    auto affine = scaleAndCentre(layer, config, c);
    if (!affine)
      return affine.error();
    const auto &[gamma, beta] = *affine;
    const double epsilon = config.value("epsilon", 1e-3);
    const std::string y = emit("torch.batch_norm(" + in.var + ", " + param(gamma) + ", " +
                               param(beta) + ", " + param(*mean) + ", " + param(*variance) +
                               ", False, 0.0, " + number(epsilon) + ", False)");
    return Value{y, in.shape};
  }
  if (kind == "ReLU") {
    const double slope = config.value("negative_slope", 0.0),
                 threshold = config.value("threshold", 0.0);
    if (threshold != 0.0)
      return unsupported(layer, "a ReLU threshold is not supported");
    std::string y = slope == 0.0 ? emit("torch.relu(" + in.var + ")")
                                 : emit("torch.leaky_relu(" + in.var + ", " + number(slope) + ")");
    if (config.contains("max_value") && !config.at("max_value").is_null())
      y = emit("torch.clamp_max(" + y + ", " + number(config.at("max_value").get<double>()) + ")");
    return Value{y, in.shape};
  }
  if (kind == "Activation") {
    auto y = activate(layer, in.var, config.at("activation").get<std::string>());
    if (!y)
      return y.error();
    return Value{*y, in.shape};
  }
  if (kind == "Add" || kind == "Concatenate") {
    if (inputs.size() < 2)
      return unsupported(layer, "it needs at least two inputs");
    std::string list;
    std::vector<std::int64_t> shape = in.shape;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      list += (i ? (kind == "Add" ? " + " : ", ") : "") + inputs[i].var;
      if (kind == "Add" && inputs[i].shape != in.shape)
        return unsupported(layer, "its inputs have different shapes");
      if (kind == "Concatenate") {
        if (inputs[i].shape.size() != in.shape.size() ||
            !std::equal(inputs[i].shape.begin() + 1, inputs[i].shape.end(), in.shape.begin() + 1))
          return unsupported(layer, "its inputs differ in more than the channels");
        if (i)
          shape[0] += inputs[i].shape[0];
      }
    }
    if (kind == "Concatenate") {
      const std::int64_t axis = wholeNumberOr(config, "axis", -1);
      if (axis != -1 && axis != static_cast<std::int64_t>(in.shape.size()))
        return unsupported(layer, "only concatenation along the channels is supported");
      return Value{emit("torch.cat([" + list + "], 1)"), shape};
    }
    return Value{emit(list), shape};
  }
  if (kind == "GlobalAveragePooling2D" || kind == "GlobalMaxPooling2D") {
    if (in.shape.size() != 3)
      return unsupported(layer, "it needs an image input");
    const bool keep = config.value("keepdims", false);
    const std::string f = kind == "GlobalAveragePooling2D" ? "torch.mean" : "torch.amax";
    const std::string y = emit(f + "(" + in.var + ", [2, 3], " + (keep ? "True" : "False") + ")");
    return Value{y, keep ? std::vector<std::int64_t>{in.shape[0], 1, 1}
                         : std::vector<std::int64_t>{in.shape[0]}};
  }
  if (kind == "Flatten") {
    if (in.shape.size() == 1)
      return in;
    std::int64_t n = 1;
    for (auto d : in.shape)
      n *= d;
    // Keras flattens channels-last: channels vary fastest.
    const bool spatial = in.shape.size() == 3 && in.shape[1] * in.shape[2] > 1;
    const std::string y = spatial ? emit("torch.flatten(" + in.var + ".permute([0, 2, 3, 1]), 1)")
                                  : emit("torch.flatten(" + in.var + ", 1)");
    return Value{y, {n}};
  }
  if (kind == "Dense") {
    if (in.shape.size() != 1)
      return unsupported(layer, "Dense on an image (not flattened) is not supported");
    const std::int64_t units = wholeNumber(config.at("units"));
    auto kernel = weight(layer, "kernel", {in.shape[0], units});
    if (!kernel)
      return kernel.error();
    auto bias = biasOf(layer, config, units);
    if (!bias)
      return bias.error();
    const std::string y =
        emit("torch.linear(" + in.var + ", " + param(kernel->t()) + ", " + *bias + ")");
    return activated(layer, config, y, {units});
  }
  return convertMore(layer, config, inputs);
}

Result<std::vector<std::int64_t>> LayersProgram::build(const std::filesystem::path &out) {
  auto programInput = channelsFirstInput(m_model.inputShape);
  if (!programInput)
    return programInput.error();
  const std::vector<std::int64_t> inputShape = *programInput;
  m_values[m_model.input] = Value{"x", {inputShape.begin() + 1, inputShape.end()}};
  for (const auto &layer : m_model.layers) {
    if (layer.name == m_model.input)
      continue;
    if (layer.className == "InputLayer")
      return unsupported(layer, "the model has a second input");
    std::vector<Value> inputs;
    for (const auto &name : layer.inputs)
      inputs.push_back(m_values.at(name));
    if (inputs.empty())
      return unsupported(layer, "it has no inputs");
    json config;
    try {
      config = json::parse(layer.configJson);
      // Pooling, padding, cropping, upsampling and flattening assume it as much as convolutions.
      if (config.is_object() &&
          config.value("data_format", std::string("channels_last")) != "channels_last")
        return unsupported(layer, "only channels_last data is supported");
      auto value = convert(layer, config, inputs);
      if (!value)
        return value.error();
      m_values[layer.name] = *value;
    } catch (const json::exception &e) {
      return unsupported(layer, std::string("its configuration is malformed (") + e.what() + ")");
    } catch (const c10::Error &e) {
      return unsupported(layer, std::string("its weights do not fit (") +
                                    e.what_without_backtrace() + ")");
    } catch (const std::exception &e) {
      return unsupported(layer, std::string("it cannot be converted (") + e.what() + ")");
    }
  }
  if (auto saved = m_writer.save(m_values.at(m_model.output).var, inputShape, out); !saved)
    return saved.error();
  return inputShape;
}

} // namespace nesa::model::tfjs

namespace nesa::model {

Result<std::vector<std::int64_t>> exportTfjsToTorchScript(const ingest::TfjsModel &model,
                                                          const std::filesystem::path &out) {
  if (model.graph)
    return tfjs::exportGraph(model, out);
  tfjs::LayersProgram program(model);
  return program.build(out);
}

} // namespace nesa::model
