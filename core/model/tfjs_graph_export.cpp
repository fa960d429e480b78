// TF.js graph models to TorchScript: the TensorFlow op set of converted image and tabular
// models (convolutions plain, depthwise and fused, matrix products, batch normalization,
// pooling, resizing, padding, concatenation, reshaping, reductions, softmax and element-wise
// arithmetic). Images are kept channels first so convolutions run as aten::conv2d, which
// compileModel() sends to the miners; an operation that needs TensorFlow's channels-last order
// gets it with a permutation. Anything else is refused with the node's name and op.
#include "model/internal/tfjs_layers.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace nesa::model::tfjs {
namespace {

using nlohmann::json;

Error unsupported(const ingest::TfjsNode &node, const std::string &why) {
  return fail(ErrorCode::InvalidInput,
              "cannot import node " + node.name + " (" + node.op + "): " + why);
}

std::string list(const std::vector<std::int64_t> &values) {
  std::string s = "[";
  for (auto v : values)
    s += (s.size() > 1 ? ", " : "") + std::to_string(v);
  return s + "]";
}

// A value of the graph: a constant (kept in C++ until something needs it in the program) or a
// variable of the program. `shape` is TensorFlow's (batch 1, channels last); a rank-4 variable
// is held channels first when `nchw`.
struct GraphValue {
  std::optional<at::Tensor> constant;
  std::string var;
  std::vector<std::int64_t> shape;
  bool nchw = false;
};

// TensorFlow's axis `a` of a rank-4 value, in channels-first order.
std::int64_t nchwAxis(std::int64_t a) {
  static constexpr std::int64_t map[] = {0, 2, 3, 1};
  return map[a];
}

std::vector<std::int64_t> broadcast(std::vector<std::int64_t> a, std::vector<std::int64_t> b,
                                    bool &ok) {
  if (a.size() < b.size())
    std::swap(a, b);
  b.insert(b.begin(), a.size() - b.size(), 1);
  ok = true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && a[i] != 1 && b[i] != 1)
      ok = false;
    a[i] = std::max(a[i], b[i]);
  }
  return a;
}

const std::map<std::string, std::string> &unaryForms() {
  static const std::map<std::string, std::string> forms = {
      {"Relu", "torch.relu(X)"},
      {"Relu6", "torch.clamp(X, 0.0, 6.0)"},
      {"Elu", "torch.elu(X, 1.0, 1.0, 1.0)"},
      {"Selu", "torch.selu(X)"},
      {"Sigmoid", "torch.sigmoid(X)"},
      {"Tanh", "torch.tanh(X)"},
      {"Exp", "torch.exp(X)"},
      {"Log", "torch.log(X)"},
      {"Sqrt", "torch.sqrt(X)"},
      {"Rsqrt", "torch.rsqrt(X)"},
      {"Square", "X * X"},
      {"Neg", "-X"},
      {"Abs", "torch.abs(X)"},
      {"Reciprocal", "torch.reciprocal(X)"},
      {"Softplus", "torch.softplus(X, 1.0, 20.0)"},
      {"Identity", "X"},
      {"StopGradient", "X"},
      {"Snapshot", "X"},
  };
  return forms;
}

const std::map<std::string, std::string> &binaryForms() {
  static const std::map<std::string, std::string> forms = {
      {"Add", "A + B"},
      {"AddV2", "A + B"},
      {"BiasAdd", "A + B"},
      {"Sub", "A - B"},
      {"Mul", "A * B"},
      {"RealDiv", "A / B"},
      {"Div", "A / B"},
      {"Maximum", "torch.maximum(A, B)"},
      {"Minimum", "torch.minimum(A, B)"},
      {"SquaredDifference", "(A - B) * (A - B)"},
      {"Pow", "torch.pow(A, B)"},
  };
  return forms;
}

std::string substitute(std::string form, const std::string &a, const std::string &b = "") {
  std::string out;
  for (char c : form)
    out += c == 'X' || c == 'A' ? a : c == 'B' ? b : std::string(1, c);
  return out;
}

// What follows a fused convolution or matrix product: its bias and its activation.
struct FusedTail {
  std::string bias = "None";
  std::string activation; ///< an op of unaryForms(), "LeakyRelu", or empty
  double alpha = 0.2;     ///< LeakyRelu's slope
};

class GraphProgram {
public:
  explicit GraphProgram(const ingest::TfjsModel &model) : m_model(model), m_writer("TfjsGraph") {}

  Result<std::vector<std::int64_t>> build(const std::filesystem::path &out);

private:
  const ingest::TfjsModel &m_model;
  ScriptWriter m_writer;
  std::map<std::string, GraphValue> m_values;

  std::string emit(const std::string &e) { return m_writer.emit(e); }
  Result<GraphValue> convert(const ingest::TfjsNode &node, const json &attr,
                             const std::vector<GraphValue> &in);
  // The value as a program variable, channels last / channels first / as it is.
  std::string channelsLast(const GraphValue &v);
  std::string channelsFirst(const GraphValue &v);
  std::string variable(const GraphValue &v, bool nchw, bool literalOk);
  Result<std::vector<std::int64_t>> integers(const ingest::TfjsNode &node, const GraphValue &v,
                                             const char *what);
  Result<GraphValue> convolution(const ingest::TfjsNode &node, const json &attr,
                                 const std::vector<GraphValue> &in, bool depthwise);
  Result<GraphValue> matmul(const ingest::TfjsNode &node, const json &attr,
                            const std::vector<GraphValue> &in);
  Result<FusedTail> fusedTail(const ingest::TfjsNode &node, const json &attr,
                              const std::vector<GraphValue> &in, std::size_t firstArg,
                              std::int64_t channels);
  std::string activate(const std::string &y, const FusedTail &tail);
  Result<GraphValue> reshaped(const ingest::TfjsNode &node, const GraphValue &in,
                              std::vector<std::int64_t> shape);
};

std::string GraphProgram::channelsLast(const GraphValue &v) {
  if (v.constant)
    return m_writer.param(*v.constant);
  return v.shape.size() == 4 && v.nchw ? emit(v.var + ".permute([0, 2, 3, 1])") : v.var;
}

std::string GraphProgram::channelsFirst(const GraphValue &v) {
  if (v.constant)
    return m_writer.param(v.constant->permute({0, 3, 1, 2}));
  return v.shape.size() == 4 && !v.nchw ? emit(v.var + ".permute([0, 3, 1, 2])") : v.var;
}

// An operand of an element-wise op whose result is channels first when `nchw`: lower ranks are
// first given TensorFlow's leading ones, as broadcasting would. A one-value constant becomes a
// literal where `literalOk` (operators take them; torch.maximum and friends do not).
std::string GraphProgram::variable(const GraphValue &v, bool nchw, bool literalOk) {
  if (!v.constant) {
    if (!nchw || v.shape.size() == 4)
      return nchw ? channelsFirst(v) : channelsLast(v);
    std::vector<std::int64_t> shape(4 - v.shape.size(), 1);
    shape.insert(shape.end(), v.shape.begin(), v.shape.end());
    return emit("torch.reshape(" + v.var + ", " + list(shape) + ").permute([0, 3, 1, 2])");
  }
  if (literalOk && v.constant->numel() == 1 && v.constant->dim() <= 1)
    return number(v.constant->item<double>());
  at::Tensor t = *v.constant;
  if (nchw) { // broadcast against a channels-first image: make it rank 4, then permute
    std::vector<std::int64_t> shape(4 - t.dim(), 1);
    shape.insert(shape.end(), t.sizes().begin(), t.sizes().end());
    t = t.reshape(shape).permute({0, 3, 1, 2});
  }
  return m_writer.param(t);
}

Result<std::vector<std::int64_t>> GraphProgram::integers(const ingest::TfjsNode &node,
                                                         const GraphValue &v, const char *what) {
  if (!v.constant)
    return unsupported(node, std::string("its ") + what + " is computed at run time");
  if (v.constant->numel() > 64)
    return unsupported(node, std::string("its ") + what + " has too many values");
  const at::Tensor t = v.constant->reshape({-1}).to(at::kDouble);
  std::vector<std::int64_t> out;
  for (std::int64_t i = 0; i < t.numel(); ++i) {
    const double d = t[i].item<double>();
    if (d != std::floor(d) || std::abs(d) > kMaxValues)
      return unsupported(node, std::string("its ") + what + " is not a list of integers");
    out.push_back(static_cast<std::int64_t>(d));
  }
  return out;
}

// The fused ops after a convolution or matrix product: BiasAdd, then an activation. (TensorFlow.js
// cannot run a FusedBatchNorm fused here, so no converted model has one: it is refused.)
Result<FusedTail> GraphProgram::fusedTail(const ingest::TfjsNode &node, const json &attr,
                                          const std::vector<GraphValue> &in, std::size_t firstArg,
                                          std::int64_t channels) {
  std::vector<std::string> fused;
  if (attr.contains("fused_ops"))
    fused = attr.at("fused_ops").get<std::vector<std::string>>();
  std::size_t arg = firstArg, step = 0;
  auto argument = [&]() -> std::optional<at::Tensor> {
    if (arg >= in.size() || !in[arg].constant || in[arg].constant->numel() != channels)
      return std::nullopt;
    return in[arg++].constant->reshape({channels});
  };
  FusedTail tail;
  if (step < fused.size() && fused[step] == "BiasAdd") {
    auto b = argument();
    if (!b)
      return unsupported(node, "its fused bias is missing, computed or of the wrong size");
    tail.bias = m_writer.param(*b);
    ++step;
  }
  if (step < fused.size()) {
    tail.activation = fused[step++];
    tail.alpha = attr.value("leakyrelu_alpha", 0.2);
    // What TensorFlow.js can run fused (it cannot run a fused Tanh, say).
    static const std::set<std::string> activations = {"Relu", "Relu6", "Elu", "Sigmoid",
                                                      "LeakyRelu"};
    if (!activations.count(tail.activation))
      return unsupported(node, "the fused op " + tail.activation + " is not supported");
  }
  if (step < fused.size())
    return unsupported(node, "the fused op " + fused[step] + " is not supported");
  if (arg != in.size())
    return unsupported(node, "it has arguments its fused ops do not use");
  return tail;
}

std::string GraphProgram::activate(const std::string &y, const FusedTail &tail) {
  if (tail.activation.empty())
    return y;
  if (tail.activation == "LeakyRelu")
    return emit("torch.leaky_relu(" + y + ", " + number(tail.alpha) + ")");
  return emit(substitute(unaryForms().at(tail.activation), y));
}

Result<GraphValue> GraphProgram::convolution(const ingest::TfjsNode &node, const json &attr,
                                             const std::vector<GraphValue> &in, bool depthwise) {
  if (in.size() < 2 || in[0].constant || in[0].shape.size() != 4)
    return unsupported(node, "it needs an image and a constant filter");
  if (!in[1].constant || in[1].constant->dim() != 4)
    return unsupported(node, "its filter is not a constant of rank 4");
  if (attr.value("data_format", std::string("NHWC")) != "NHWC")
    return unsupported(node, "only NHWC data is supported");
  const auto strides = wholeNumbers(attr, "strides", {1, 1, 1, 1});
  const auto dilations = wholeNumbers(attr, "dilations", {1, 1, 1, 1});
  const at::Tensor &filter = *in[1].constant;
  const std::int64_t kh = filter.size(0), kw = filter.size(1), channels = in[0].shape[3];
  if (strides.size() != 4 || dilations.size() != 4 || strides[0] != 1 || strides[3] != 1 ||
      !windowFits({kh, kw, strides[1], strides[2]}, {dilations[1], dilations[2]}))
    return unsupported(node, "its filter, strides or dilations are impossible");
  at::Tensor kernel;
  std::int64_t filters, groups = 1;
  if (depthwise) {
    if (filter.size(2) != channels)
      return unsupported(node, "its filter does not fit its input's channels");
    filters = channels * filter.size(3);
    groups = channels;
    kernel = filter.permute({2, 3, 0, 1}).reshape({filters, 1, kh, kw});
  } else {
    if (filter.size(2) == 0 || channels % filter.size(2) != 0)
      return unsupported(node, "its filter does not fit its input's channels");
    filters = filter.size(3);
    groups = channels / filter.size(2);
    kernel = filter.permute({3, 2, 0, 1});
  }
  const std::string padding = attr.value("padding", std::string("VALID"));
  Pads ph, pw;
  if (padding == "EXPLICIT") {
    const auto pads = wholeNumbers(attr, "explicit_paddings");
    if (pads.size() != 8 || *std::min_element(pads.begin(), pads.end()) < 0 ||
        *std::max_element(pads.begin(), pads.end()) > 4096)
      return unsupported(node, "its explicit paddings are impossible");
    ph = paddingFor("valid", in[0].shape[1] + pads[2] + pads[3], kh, strides[1], dilations[1]);
    pw = paddingFor("valid", in[0].shape[2] + pads[4] + pads[5], kw, strides[2], dilations[2]);
    ph.before = pads[2], ph.after = pads[3];
    pw.before = pads[4], pw.after = pads[5];
  } else if (padding == "SAME" || padding == "VALID") {
    ph = paddingFor(padding, in[0].shape[1], kh, strides[1], dilations[1]);
    pw = paddingFor(padding, in[0].shape[2], kw, strides[2], dilations[2]);
  } else {
    return unsupported(node, "the padding \"" + padding + "\" is not supported");
  }
  if (ph.output <= 0 || pw.output <= 0)
    return unsupported(node, "its filter is larger than its input");
  auto tail = fusedTail(node, attr, in, 2, filters);
  if (!tail)
    return tail.error();
  const std::string y =
      convolve(m_writer, channelsFirst(in[0]), kernel.contiguous(), tail->bias,
               {kh, kw, strides[1], strides[2]}, {dilations[1], dilations[2]}, ph, pw, groups);
  return GraphValue{std::nullopt, activate(y, *tail), {1, ph.output, pw.output, filters}, true};
}

Result<GraphValue> GraphProgram::matmul(const ingest::TfjsNode &node, const json &attr,
                                        const std::vector<GraphValue> &in) {
  if (in.size() < 2 || in[0].constant || in[0].shape.size() != 2)
    return unsupported(node, "its first operand must be a computed matrix");
  if (attr.value("transpose_a", false))
    return unsupported(node, "a transposed first operand is not supported");
  const bool transposeB = attr.value("transpose_b", false);
  const std::int64_t k = in[0].shape[1];
  if (!in[1].constant) { // a product of two computed values: local
    if (attr.contains("fused_ops") && !attr.at("fused_ops").empty())
      return unsupported(node, "fused ops after a product of two computed values");
    if (in.size() != 2 || in[1].shape.size() != 2 || in[1].shape[transposeB ? 1 : 0] != k)
      return unsupported(node, "its operands do not fit");
    const std::string b = transposeB ? emit(in[1].var + ".t()") : in[1].var;
    return GraphValue{std::nullopt,
                      emit("torch.matmul(" + in[0].var + ", " + b + ")"),
                      {1, in[1].shape[transposeB ? 0 : 1]}};
  }
  const at::Tensor &b = *in[1].constant;
  if (b.dim() != 2 || b.size(transposeB ? 1 : 0) != k)
    return unsupported(node, "its constant operand does not fit its input");
  const at::Tensor weight = transposeB ? b : b.t(); // [out, in], as torch.linear takes it
  const std::int64_t units = weight.size(0);
  auto tail = fusedTail(node, attr, in, 2, units);
  if (!tail)
    return tail.error();
  const std::string y = emit("torch.linear(" + in[0].var + ", " +
                             m_writer.param(weight.contiguous()) + ", " + tail->bias + ")");
  return GraphValue{std::nullopt, activate(y, *tail), {1, units}};
}

Result<GraphValue> GraphProgram::reshaped(const ingest::TfjsNode &node, const GraphValue &in,
                                          std::vector<std::int64_t> shape) {
  std::int64_t total = 1, known = 1, count = 0;
  (void)checkedProduct(in.shape, kMaxValues, total);
  std::optional<std::size_t> unknown;
  std::vector<std::int64_t> sizes;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1 && !unknown)
      unknown = i;
    else if (shape[i] <= 0)
      return unsupported(node, "its new shape " + list(shape) + " is impossible");
    else
      sizes.push_back(shape[i]);
  }
  if (!checkedProduct(sizes, kMaxValues, known) || shape.size() > 8)
    return unsupported(node, "its new shape is impossible");
  if (unknown && total % known == 0)
    shape[*unknown] = total / known;
  if (!checkedProduct(shape, kMaxValues, count) || count != total || shape.empty() || shape[0] != 1)
    return unsupported(node, "its new shape " + list(shape) + " does not fit its input " +
                                 list(in.shape) + " (or changes the batch)");
  if (in.constant)
    return GraphValue{in.constant->reshape(shape), "", shape, false};
  return GraphValue{std::nullopt,
                    emit("torch.reshape(" + channelsLast(in) + ", " + list(shape) + ")"), shape,
                    false};
}

Result<GraphValue> GraphProgram::convert(const ingest::TfjsNode &node, const json &attr,
                                         const std::vector<GraphValue> &in) {
  const std::string &op = node.op;
  auto needs = [&](std::size_t n) -> Result<void> {
    if (in.size() != n)
      return unsupported(node, "it takes " + std::to_string(in.size()) + " inputs, not " +
                                   std::to_string(n));
    return {};
  };
  if (const auto form = unaryForms().find(op); form != unaryForms().end() || op == "LeakyRelu") {
    if (auto r = needs(1); !r)
      return r.error();
    if (form != unaryForms().end() && form->second == "X")
      return in[0]; // Identity and friends
    if (in[0].constant)
      return unsupported(node, "it works on a constant (fold it before converting)");
    const std::string y =
        op == "LeakyRelu"
            ? emit("torch.leaky_relu(" + in[0].var + ", " + number(attr.value("alpha", 0.2)) + ")")
            : emit(substitute(form->second, in[0].var));
    return GraphValue{std::nullopt, y, in[0].shape, in[0].nchw};
  }
  if (const auto form = binaryForms().find(op); form != binaryForms().end()) {
    if (auto r = needs(2); !r)
      return r.error();
    if (op == "BiasAdd" && attr.value("data_format", std::string("NHWC")) != "NHWC")
      return unsupported(node, "only NHWC data is supported");
    bool ok = false;
    const auto shape = broadcast(in[0].shape, in[1].shape, ok);
    if (!ok)
      return unsupported(node, "its operands' shapes " + list(in[0].shape) + " and " +
                                   list(in[1].shape) + " do not broadcast");
    if (shape.size() > 4)
      return unsupported(node, "operands of rank over 4 are not supported");
    if (in[0].constant && in[1].constant) { // fold it here
      const at::Tensor &a = *in[0].constant, &b = *in[1].constant;
      at::Tensor r = op == "Sub"                      ? a - b
                     : op == "Mul"                    ? a * b
                     : op == "RealDiv" || op == "Div" ? a / b
                     : op == "Maximum"                ? torch::maximum(a, b)
                     : op == "Minimum"                ? torch::minimum(a, b)
                     : op == "SquaredDifference"      ? (a - b) * (a - b)
                     : op == "Pow"                    ? torch::pow(a, b)
                                                      : a + b;
      return GraphValue{r, "", shape, false};
    }
    // Channels first when the result is an image and a computed operand already is.
    const bool nchw =
        shape.size() == 4 && ((!in[0].constant && in[0].nchw) || (!in[1].constant && in[1].nchw));
    const bool literalOk = form->second.rfind("torch.", 0) != 0;
    const std::string a = variable(in[0], nchw, literalOk), b = variable(in[1], nchw, literalOk);
    return GraphValue{std::nullopt, emit(substitute(form->second, a, b)), shape, nchw};
  }
  if (op == "Conv2D" || op == "_FusedConv2D" || op == "FusedConv2D")
    return convolution(node, attr, in, false);
  if (op == "DepthwiseConv2dNative" || op == "FusedDepthwiseConv2dNative")
    return convolution(node, attr, in, true);
  if (op == "MatMul" || op == "_FusedMatMul" || op == "FusedMatMul")
    return matmul(node, attr, in);
  if (op == "FusedBatchNorm" || op == "FusedBatchNormV3") {
    if (in.size() != 5 || in[0].constant || in[0].shape.size() != 4)
      return unsupported(node, "it needs an image and four constants");
    const std::int64_t c = in[0].shape[3];
    std::vector<std::string> params;
    for (std::size_t i = 1; i < 5; ++i) {
      if (!in[i].constant || in[i].constant->numel() != c)
        return unsupported(node, "its scale, offset, mean and variance must be constants");
      params.push_back(m_writer.param(in[i].constant->reshape({c})));
    }
    const std::string y = emit("torch.batch_norm(" + channelsFirst(in[0]) + ", " + params[0] +
                               ", " + params[1] + ", " + params[2] + ", " + params[3] +
                               ", False, 0.0, " + number(attr.value("epsilon", 1e-4)) + ", False)");
    return GraphValue{std::nullopt, y, in[0].shape, true};
  }
  if (op == "AvgPool" || op == "MaxPool") {
    if (auto r = needs(1); !r)
      return r.error();
    const auto ksize = wholeNumbers(attr, "ksize");
    const auto strides = wholeNumbers(attr, "strides");
    if (in[0].constant || in[0].shape.size() != 4 || ksize.size() != 4 || strides.size() != 4 ||
        ksize[0] != 1 || ksize[3] != 1 || strides[0] != 1 || strides[3] != 1 ||
        std::min({ksize[1], ksize[2], strides[1], strides[2]}) <= 0)
      return unsupported(node, "only 2-D windows over an image are supported");
    if (attr.value("data_format", std::string("NHWC")) != "NHWC")
      return unsupported(node, "only NHWC data is supported");
    std::int64_t h = 0, w = 0;
    auto y = pool(m_writer, channelsFirst(in[0]), in[0].shape[1], in[0].shape[2],
                  {ksize[1], ksize[2], strides[1], strides[2]},
                  attr.value("padding", std::string("VALID")), op == "MaxPool", h, w);
    if (!y)
      return unsupported(node, y.error().message);
    return GraphValue{std::nullopt, *y, {1, h, w, in[0].shape[3]}, true};
  }
  if (op == "Mean" || op == "Max" || op == "Min" || op == "Sum") {
    if (auto r = needs(2); !r)
      return r.error();
    auto axes = integers(node, in[1], "axis");
    if (!axes)
      return axes.error();
    const auto rank = static_cast<std::int64_t>(in[0].shape.size());
    std::set<std::int64_t> reduced;
    for (auto a : *axes) {
      if (a < -rank || a >= rank)
        return unsupported(node, "its axis " + std::to_string(a) + " is out of range");
      reduced.insert(a < 0 ? a + rank : a);
    }
    if (reduced.count(0))
      return unsupported(node, "reducing over the batch is not supported");
    if (reduced.empty())
      return in[0]; // TensorFlow reduces nothing
    const bool keep = attr.value("keep_dims", false);
    std::vector<std::int64_t> shape, dims(reduced.begin(), reduced.end());
    for (std::int64_t d = 0; d < rank; ++d)
      if (!reduced.count(d) || keep)
        shape.push_back(reduced.count(d) ? 1 : in[0].shape[static_cast<std::size_t>(d)]);
    const std::string f = op == "Mean"  ? "torch.mean"
                          : op == "Sum" ? "torch.sum"
                          : op == "Max" ? "torch.amax"
                                        : "torch.amin";
    const std::string y = emit(f + "(" + channelsLast(in[0]) + ", " + list(dims) + ", " +
                               (keep ? "True" : "False") + ")");
    return GraphValue{std::nullopt, y, shape, false};
  }
  if (op == "Squeeze" || op == "Reshape" || op == "ExpandDims") {
    std::vector<std::int64_t> shape;
    if (op == "Reshape") {
      if (auto r = needs(2); !r)
        return r.error();
      auto target = integers(node, in[1], "shape");
      if (!target)
        return target.error();
      shape = *target;
    } else {
      if (auto r = needs(op == "Squeeze" ? 1 : 2); !r)
        return r.error();
      const auto rank = static_cast<std::int64_t>(in[0].shape.size());
      std::vector<std::int64_t> axes;
      if (op == "Squeeze") {
        axes = attr.contains("squeeze_dims") ? wholeNumbers(attr, "squeeze_dims")
                                             : wholeNumbers(attr, "axis");
        if (axes.empty())
          return unsupported(node, "a Squeeze without squeeze_dims would drop the batch");
      } else {
        auto axis = integers(node, in[1], "axis");
        if (!axis)
          return axis.error();
        axes = *axis;
      }
      shape = in[0].shape;
      if (op == "ExpandDims") {
        if (axes.size() != 1 || axes[0] < -rank - 1 || axes[0] > rank)
          return unsupported(node, "its axis is out of range");
        const auto at = axes[0] < 0 ? axes[0] + rank + 1 : axes[0];
        shape.insert(shape.begin() + at, 1);
      } else {
        std::set<std::int64_t> drop;
        for (auto a : axes) {
          if (a < -rank || a >= rank)
            return unsupported(node, "its axis " + std::to_string(a) + " is out of range");
          drop.insert(a < 0 ? a + rank : a);
        }
        shape.clear();
        for (std::int64_t d = 0; d < rank; ++d) {
          const auto size = in[0].shape[static_cast<std::size_t>(d)];
          const bool squeezed = drop.count(d) > 0;
          if (squeezed && size != 1)
            return unsupported(node, "it squeezes a dimension of size " + std::to_string(size));
          if (!squeezed)
            shape.push_back(size);
        }
      }
    }
    return reshaped(node, in[0], shape);
  }
  if (op == "ConcatV2") {
    if (in.size() < 2)
      return unsupported(node, "it needs values and an axis");
    auto axis = integers(node, in.back(), "axis");
    if (!axis || axis->size() != 1)
      return axis ? unsupported(node, "its axis is not one number") : axis.error();
    const auto rank = static_cast<std::int64_t>(in[0].shape.size());
    std::int64_t a = (*axis)[0] < 0 ? (*axis)[0] + rank : (*axis)[0];
    if (a <= 0 || a >= rank)
      return unsupported(node, "its axis is out of range (or the batch)");
    std::vector<std::int64_t> shape = in[0].shape;
    shape[static_cast<std::size_t>(a)] = 0;
    bool computed = false;
    for (std::size_t i = 0; i + 1 < in.size(); ++i) {
      for (std::int64_t d = 0; d < rank; ++d)
        if (in[i].shape.size() != in[0].shape.size() ||
            (d != a &&
             in[i].shape[static_cast<std::size_t>(d)] != in[0].shape[static_cast<std::size_t>(d)]))
          return unsupported(node, "its values differ in more than the axis joined");
      shape[static_cast<std::size_t>(a)] += in[i].shape[static_cast<std::size_t>(a)];
      computed = computed || !in[i].constant;
    }
    if (!computed)
      return unsupported(node, "it joins only constants (fold it before converting)");
    const bool nchw = rank == 4;
    std::string values;
    for (std::size_t i = 0; i + 1 < in.size(); ++i)
      values += (i ? ", " : "") + (nchw ? channelsFirst(in[i]) : channelsLast(in[i]));
    const std::string y =
        emit("torch.cat([" + values + "], " + std::to_string(nchw ? nchwAxis(a) : a) + ")");
    return GraphValue{std::nullopt, y, shape, nchw};
  }
  if (op == "Pad" || op == "PadV2" || op == "MirrorPad") {
    if (in.size() < 2 || in.size() > 3 || in[0].constant)
      return unsupported(node, "it needs a computed value and constant paddings");
    auto pads = integers(node, in[1], "paddings");
    if (!pads)
      return pads.error();
    const auto rank = in[0].shape.size();
    if (pads->size() != 2 * rank || (*pads)[0] != 0 || (*pads)[1] != 0 ||
        *std::min_element(pads->begin(), pads->end()) < 0 ||
        *std::max_element(pads->begin(), pads->end()) > 4096)
      return unsupported(node, "its paddings are impossible (or pad the batch)");
    std::string mode = attr.value("mode", std::string("CONSTANT"));
    double fill = 0;
    if (op == "PadV2" && in.size() == 3) {
      if (!in[2].constant || in[2].constant->numel() != 1)
        return unsupported(node, "its constant value is not one number");
      fill = in[2].constant->item<double>();
    }
    const bool nchw = rank == 4;
    // torch lists pads from the last dimension backwards.
    std::vector<std::int64_t> order(rank);
    for (std::size_t d = 0; d < rank; ++d)
      order[d] = nchw ? std::vector<std::int64_t>{0, 3, 1, 2}[d] : static_cast<std::int64_t>(d);
    std::vector<std::int64_t> torchPads;
    std::vector<std::int64_t> shape = in[0].shape;
    for (std::size_t d = rank; d-- > 0;) {
      const auto tf = static_cast<std::size_t>(order[d]);
      torchPads.push_back((*pads)[2 * tf]);
      torchPads.push_back((*pads)[2 * tf + 1]);
      shape[tf] += (*pads)[2 * tf] + (*pads)[2 * tf + 1];
    }
    const std::string x = nchw ? channelsFirst(in[0]) : channelsLast(in[0]);
    if (op != "MirrorPad")
      return GraphValue{
          std::nullopt,
          emit("torch.constant_pad_nd(" + x + ", " + list(torchPads) + ", " + number(fill) + ")"),
          shape, nchw};
    if (mode != "REFLECT" || !nchw || (*pads)[6] != 0 || (*pads)[7] != 0 ||
        (*pads)[2] >= in[0].shape[1] || (*pads)[3] >= in[0].shape[1] ||
        (*pads)[4] >= in[0].shape[2] || (*pads)[5] >= in[0].shape[2])
      return unsupported(node, "only REFLECT mirror padding of an image's height and width "
                               "(less than its size) is supported");
    torchPads.resize(4);
    return GraphValue{std::nullopt,
                      emit("torch.reflection_pad2d(" + x + ", " + list(torchPads) + ")"), shape,
                      true};
  }
  if (op == "ResizeBilinear" || op == "ResizeNearestNeighbor") {
    if (auto r = needs(2); !r)
      return r.error();
    auto size = integers(node, in[1], "size");
    if (!size)
      return size.error();
    if (in[0].constant || in[0].shape.size() != 4 || size->size() != 2 || (*size)[0] <= 0 ||
        (*size)[1] <= 0 || (*size)[0] * in[0].shape[1] > kMaxValues ||
        (*size)[1] * in[0].shape[2] > kMaxValues)
      return unsupported(node, "it needs an image and a sensible size");
    if (attr.value("align_corners", false) && attr.value("half_pixel_centers", false))
      return unsupported(node, "align_corners and half_pixel_centers cannot both be set");
    const std::string y =
        resize(m_writer, channelsFirst(in[0]), in[0].shape[1], in[0].shape[2], (*size)[0],
               (*size)[1], op == "ResizeBilinear", attr.value("align_corners", false),
               attr.value("half_pixel_centers", false));
    return GraphValue{std::nullopt, y, {1, (*size)[0], (*size)[1], in[0].shape[3]}, true};
  }
  if (op == "Softmax" || op == "LogSoftmax") {
    if (auto r = needs(1); !r)
      return r.error();
    if (in[0].constant)
      return unsupported(node, "it works on a constant");
    const bool nchw = in[0].shape.size() == 4 && in[0].nchw;
    const std::string f = op == "Softmax" ? "torch.softmax(" : "torch.log_softmax(";
    return GraphValue{std::nullopt, emit(f + in[0].var + ", " + (nchw ? "1" : "-1") + ")"),
                      in[0].shape, nchw};
  }
  return unsupported(node, "this operation is not supported");
}

Result<std::vector<std::int64_t>> GraphProgram::build(const std::filesystem::path &out) {
  const auto &shape = m_model.inputShape;
  auto programInput = channelsFirstInput(shape);
  if (!programInput)
    return programInput.error();
  const std::vector<std::int64_t> inputShape = *programInput;
  for (const auto &node : m_model.nodes) {
    json attr;
    try {
      attr = json::parse(node.attrJson);
      if (node.name == m_model.input) {
        m_values[node.name] = GraphValue{std::nullopt, "x", shape, shape.size() == 4};
        continue;
      }
      if (node.op == "Const") {
        const auto weight = m_model.weights.find(node.name);
        if (weight == m_model.weights.end())
          return unsupported(node, "its value is not in the weights manifest");
        at::Tensor t = torch::from_blob(const_cast<float *>(weight->second.values.data()),
                                        weight->second.shape)
                           .clone();
        m_values[node.name] = GraphValue{t, "", weight->second.shape, false};
        continue;
      }
      if (node.op == "NoOp")
        continue;
      std::vector<GraphValue> inputs;
      for (const auto &name : node.inputs) {
        const auto it = m_values.find(name);
        if (it == m_values.end())
          return unsupported(node, "its input " + name + " has no value");
        inputs.push_back(it->second);
      }
      auto value = convert(node, attr, inputs);
      if (!value)
        return value.error();
      std::int64_t count = 0;
      if (!checkedProduct(value->shape, kMaxValues, count))
        return unsupported(node, "its output is too large");
      m_values[node.name] = std::move(*value);
    } catch (const json::exception &e) {
      return unsupported(node, std::string("its attributes are malformed (") + e.what() + ")");
    } catch (const c10::Error &e) {
      return unsupported(node, std::string("its constants do not fit (") +
                                   e.what_without_backtrace() + ")");
    } catch (const std::exception &e) {
      return unsupported(node, std::string("it cannot be converted (") + e.what() + ")");
    }
  }
  const auto output = m_values.find(m_model.output);
  if (output == m_values.end() || output->second.constant)
    return fail(ErrorCode::InvalidInput,
                "the output " + m_model.output + " is not computed from the input");
  const std::string result =
      output->second.shape.size() == 4 ? channelsFirst(output->second) : output->second.var;
  if (auto saved = m_writer.save(result, inputShape, out); !saved)
    return saved.error();
  return inputShape;
}

} // namespace

Result<std::vector<std::int64_t>> exportGraph(const ingest::TfjsModel &model,
                                              const std::filesystem::path &out) {
  GraphProgram program(model);
  return program.build(out);
}

} // namespace nesa::model::tfjs
