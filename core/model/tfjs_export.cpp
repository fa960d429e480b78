#include "model/tfjs_export.h"

#include <nlohmann/json.hpp>
#include <torch/script.h>

#include <map>
#include <sstream>

namespace nesa::model {
namespace {

using nlohmann::json;

Error unsupported(const ingest::TfjsLayer &layer, const std::string &why) {
  return fail(ErrorCode::InvalidInput,
              "cannot import layer " + layer.name + " (" + layer.className + "): " + why);
}

// A value in the generated program: its variable and its shape without the batch ({C, H, W}
// for images, {F} for flat features).
struct Value {
  std::string var;
  std::vector<std::int64_t> shape;
};

struct Pads {
  std::int64_t before = 0, after = 0, output = 0;
};

// TensorFlow's "valid" and "same" padding along one dimension.
Pads paddingFor(const std::string &mode, std::int64_t in, std::int64_t kernel, std::int64_t stride,
                std::int64_t dilation) {
  const std::int64_t span = (kernel - 1) * dilation + 1;
  Pads p;
  if (mode == "same") {
    p.output = (in + stride - 1) / stride;
    const std::int64_t total = std::max<std::int64_t>((p.output - 1) * stride + span - in, 0);
    p.before = total / 2;
    p.after = total - p.before;
  } else {
    p.output = in >= span ? (in - span) / stride + 1 : 0;
  }
  return p;
}

std::pair<std::int64_t, std::int64_t> pairOf(const json &v) {
  if (v.is_number())
    return {v.get<std::int64_t>(), v.get<std::int64_t>()};
  return {v.at(0).get<std::int64_t>(), v.at(1).get<std::int64_t>()};
}

class Program {
public:
  explicit Program(const ingest::TfjsModel &model) : m_model(model), m_module("TfjsImport") {}

  Result<std::vector<std::int64_t>> build(const std::filesystem::path &out);

private:
  const ingest::TfjsModel &m_model;
  torch::jit::Module m_module;
  std::ostringstream m_code;
  std::map<std::string, Value> m_values;
  int m_params = 0, m_vars = 0;

  std::string param(const at::Tensor &t) {
    const std::string name = "p" + std::to_string(m_params++);
    m_module.register_parameter(name, t.contiguous(), false);
    return "self." + name;
  }
  std::string emit(const std::string &expression) {
    const std::string var = "v" + std::to_string(m_vars++);
    m_code << "    " << var << " = " << expression << "\n";
    return var;
  }
  Result<at::Tensor> weight(const ingest::TfjsLayer &layer, const std::string &suffix,
                            std::vector<std::int64_t> expected) const;
  Result<std::string> activate(const ingest::TfjsLayer &layer, const std::string &var,
                               const std::string &name);
  Result<Value> convert(const ingest::TfjsLayer &layer, const json &config,
                        const std::vector<Value> &inputs);
  Result<Value> convolution(const ingest::TfjsLayer &layer, const json &config, const Value &in,
                            bool depthwise);
  Result<Value> pooling(const ingest::TfjsLayer &layer, const json &config, const Value &in,
                        bool max);
};

Result<at::Tensor> Program::weight(const ingest::TfjsLayer &layer, const std::string &suffix,
                                   std::vector<std::int64_t> expected) const {
  const std::string key = layer.name + "/" + suffix;
  auto it = m_model.weights.find(key);
  if (it == m_model.weights.end())
    for (auto i = m_model.weights.begin(); i != m_model.weights.end(); ++i)
      if (i->first.size() > key.size() &&
          i->first.compare(i->first.size() - key.size() - 1, key.size() + 1, "/" + key) == 0)
        it = i;
  if (it == m_model.weights.end())
    return unsupported(layer, "its weight " + key + " is missing");
  if (it->second.shape != expected) {
    std::string shape;
    for (auto d : it->second.shape)
      shape += (shape.empty() ? "" : "x") + std::to_string(d);
    return unsupported(layer, "its weight " + key + " has the shape " + shape +
                                  ", which does not fit the layer");
  }
  return torch::from_blob(const_cast<float *>(it->second.values.data()), expected).clone();
}

Result<std::string> Program::activate(const ingest::TfjsLayer &layer, const std::string &var,
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

Result<Value> Program::convolution(const ingest::TfjsLayer &layer, const json &config,
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
  const std::int64_t groups = depthwise ? channels : config.value("groups", 1);
  if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || groups <= 0 ||
      channels % groups != 0)
    return unsupported(layer, "its kernel, strides, dilation or groups are impossible");
  at::Tensor kernel;
  std::int64_t filters;
  if (depthwise) {
    const std::int64_t multiplier = config.value("depth_multiplier", 1);
    auto k = weight(layer, "depthwise_kernel", {kh, kw, channels, multiplier});
    if (!k)
      return k.error();
    filters = channels * multiplier;
    kernel = k->permute({2, 3, 0, 1}).reshape({filters, 1, kh, kw});
  } else {
    filters = config.at("filters").get<std::int64_t>();
    auto k = weight(layer, "kernel", {kh, kw, channels / groups, filters});
    if (!k)
      return k.error();
    kernel = k->permute({3, 2, 0, 1});
  }
  std::string bias = "None";
  if (config.value("use_bias", true)) {
    auto b = weight(layer, "bias", {filters});
    if (!b)
      return b.error();
    bias = param(*b);
  }
  const Pads ph = paddingFor(mode, in.shape[1], kh, sh, dh),
             pw = paddingFor(mode, in.shape[2], kw, sw, dw);
  if (ph.output <= 0 || pw.output <= 0)
    return unsupported(layer, "its kernel is larger than its input");
  std::string x = in.var;
  std::int64_t padH = ph.before, padW = pw.before;
  if (ph.before != ph.after || pw.before != pw.after) {
    x = emit("torch.constant_pad_nd(" + x + ", [" + std::to_string(pw.before) + ", " +
             std::to_string(pw.after) + ", " + std::to_string(ph.before) + ", " +
             std::to_string(ph.after) + "], 0.0)");
    padH = padW = 0;
  }
  const std::string y = emit(
      "torch.conv2d(" + x + ", " + param(kernel) + ", " + bias + ", [" + std::to_string(sh) + ", " +
      std::to_string(sw) + "], [" + std::to_string(padH) + ", " + std::to_string(padW) + "], [" +
      std::to_string(dh) + ", " + std::to_string(dw) + "], " + std::to_string(groups) + ")");
  auto activated = activate(layer, y, config.value("activation", std::string("linear")));
  if (!activated)
    return activated.error();
  return Value{*activated, {filters, ph.output, pw.output}};
}

Result<Value> Program::pooling(const ingest::TfjsLayer &layer, const json &config, const Value &in,
                               bool max) {
  if (in.shape.size() != 3)
    return unsupported(layer, "it needs an image input");
  const auto [kh, kw] = pairOf(config.at("pool_size"));
  const auto [sh, sw] = config.contains("strides") && !config.at("strides").is_null()
                            ? pairOf(config.at("strides"))
                            : std::pair{kh, kw};
  if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0)
    return unsupported(layer, "its pool size or strides are impossible");
  const std::string mode = config.value("padding", std::string("valid"));
  const Pads ph = paddingFor(mode, in.shape[1], kh, sh, 1),
             pw = paddingFor(mode, in.shape[2], kw, sw, 1);
  if (ph.before + ph.after + pw.before + pw.after != 0)
    return unsupported(layer, "\"same\" padding that actually pads is not supported for pooling");
  if (ph.output <= 0 || pw.output <= 0)
    return unsupported(layer, "its pool is larger than its input");
  const std::string args = "[" + std::to_string(kh) + ", " + std::to_string(kw) + "], [" +
                           std::to_string(sh) + ", " + std::to_string(sw) + "], [0, 0]";
  const std::string y =
      max ? emit("torch.max_pool2d(" + in.var + ", " + args + ", [1, 1], False)")
          : emit("torch.avg_pool2d(" + in.var + ", " + args + ", False, True, None)");
  return Value{y, {in.shape[0], ph.output, pw.output}};
}

Result<Value> Program::convert(const ingest::TfjsLayer &layer, const json &config,
                               const std::vector<Value> &inputs) {
  const std::string &kind = layer.className;
  if (kind != "Add" && kind != "Concatenate" && inputs.size() != 1)
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
      top = bottom = left = right = p.get<std::int64_t>();
    } else if (p.at(0).is_number()) {
      top = bottom = p.at(0).get<std::int64_t>();
      left = right = p.at(1).get<std::int64_t>();
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
    const std::int64_t a =
        axis.is_array() ? axis.at(0).get<std::int64_t>() : axis.get<std::int64_t>();
    if (a != -1 && a != static_cast<std::int64_t>(in.shape.size()))
      return unsupported(layer, "only normalization over the channels is supported");
    const std::int64_t c = in.shape[0];
    auto mean = weight(layer, "moving_mean", {c});
    auto variance = weight(layer, "moving_variance", {c});
    if (!mean || !variance)
      return (!mean ? mean : variance).error();
    at::Tensor gamma = torch::ones({c}), beta = torch::zeros({c});
    if (config.value("scale", true)) {
      auto g = weight(layer, "gamma", {c});
      if (!g)
        return g.error();
      gamma = *g;
    }
    if (config.value("center", true)) {
      auto b = weight(layer, "beta", {c});
      if (!b)
        return b.error();
      beta = *b;
    }
    const double epsilon = config.value("epsilon", 1e-3);
    std::ostringstream e;
    e.precision(17);
    e << epsilon;
    const std::string y =
        emit("torch.batch_norm(" + in.var + ", " + param(gamma) + ", " + param(beta) + ", " +
             param(*mean) + ", " + param(*variance) + ", False, 0.0, " + e.str() + ", False)");
    return Value{y, in.shape};
  }
  if (kind == "ReLU") {
    const double slope = config.value("negative_slope", 0.0),
                 threshold = config.value("threshold", 0.0);
    if (threshold != 0.0)
      return unsupported(layer, "a ReLU threshold is not supported");
    std::ostringstream e;
    e.precision(17);
    e << slope;
    std::string y = slope == 0.0 ? emit("torch.relu(" + in.var + ")")
                                 : emit("torch.leaky_relu(" + in.var + ", " + e.str() + ")");
    if (config.contains("max_value") && !config.at("max_value").is_null()) {
      std::ostringstream m;
      m.precision(17);
      m << config.at("max_value").get<double>();
      y = emit("torch.clamp_max(" + y + ", " + m.str() + ")");
    }
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
      const std::int64_t axis = config.value("axis", -1);
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
    const std::int64_t units = config.at("units").get<std::int64_t>();
    auto kernel = weight(layer, "kernel", {in.shape[0], units});
    if (!kernel)
      return kernel.error();
    std::string bias = "None";
    if (config.value("use_bias", true)) {
      auto b = weight(layer, "bias", {units});
      if (!b)
        return b.error();
      bias = param(*b);
    }
    const std::string y =
        emit("torch.linear(" + in.var + ", " + param(kernel->t()) + ", " + bias + ")");
    auto activated = activate(layer, y, config.value("activation", std::string("linear")));
    if (!activated)
      return activated.error();
    return Value{*activated, {units}};
  }
  return unsupported(layer, "this layer type is not supported");
}

Result<std::vector<std::int64_t>> Program::build(const std::filesystem::path &out) {
  const auto &shape = m_model.inputShape;
  std::vector<std::int64_t> inputShape;
  if (shape.size() == 4)
    inputShape = {1, shape[3], shape[1], shape[2]};
  else if (shape.size() == 2)
    inputShape = {1, shape[1]};
  else
    return fail(ErrorCode::InvalidInput, "only image (H, W, C) and flat inputs can be imported");
  m_values[m_model.input] = Value{"x", {inputShape.begin() + 1, inputShape.end()}};
  for (const auto &layer : m_model.layers) {
    if (layer.name == m_model.input)
      continue;
    if (layer.className == "InputLayer")
      return unsupported(layer, "the model has a second input");
    std::vector<Value> inputs;
    for (const auto &name : layer.inputs)
      inputs.push_back(m_values.at(name));
    json config;
    try {
      config = json::parse(layer.configJson);
      auto value = convert(layer, config, inputs);
      if (!value)
        return value.error();
      m_values[layer.name] = *value;
    } catch (const json::exception &e) {
      return unsupported(layer, std::string("its configuration is malformed (") + e.what() + ")");
    }
  }
  try {
    m_module.define("def forward(self, x):\n" + m_code.str() + "    return " +
                    m_values.at(m_model.output).var + "\n");
    m_module.eval();
    // One run on zeros proves the program is well-formed before it is saved.
    (void)m_module.forward({torch::zeros(inputShape)});
    m_module.save(out.string());
  } catch (const c10::Error &e) {
    return fail(ErrorCode::Internal,
                std::string("the imported program failed: ") + e.what_without_backtrace());
  }
  return inputShape;
}

} // namespace

Result<std::vector<std::int64_t>> exportTfjsToTorchScript(const ingest::TfjsModel &model,
                                                          const std::filesystem::path &out) {
  Program program(model);
  return program.build(out);
}

} // namespace nesa::model
