#include "model/onnx_export.h"

#include "model/internal/onnx_program.h"
#include "util/private_scratch.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

namespace nesa::model {
namespace onnx {

namespace {

// Lists a constant may hold to be written into the program as a literal (shapes, axes, pads).
constexpr std::int64_t kLongestLiteralList = 4096;
// The most values the model's input may have (1 GiB of floats): the conversion runs it once.
constexpr std::int64_t kLargestInput = std::int64_t{1} << 28;

std::string firstParagraph(std::string text) {
  text.erase(0, text.find_first_not_of(" \n"));
  if (const auto cut = text.find("\n\n"); cut != std::string::npos)
    text.resize(cut);
  return text;
}

} // namespace

std::set<std::string> wordsOf(const char *text) {
  std::istringstream in(text);
  std::set<std::string> words;
  for (std::string word; in >> word;)
    words.insert(word);
  return words;
}

std::string realLiteral(double v) {
  if (std::isnan(v))
    return "float('nan')";
  if (std::isinf(v))
    return v > 0 ? "float('inf')" : "float('-inf')";
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", v);
  std::string s = text;
  if (s.find_first_of(".e") == std::string::npos)
    s += ".0";
  return s;
}

std::string intList(const std::vector<std::int64_t> &values) {
  if (values.empty())
    return "self._no_ints()";
  // Slice bounds such as INT64_MIN are clamped so that the literal parses; any bound this far
  // out is clamped again by the operator.
  constexpr std::int64_t kFar = std::int64_t{1} << 62;
  std::string s = "[";
  for (std::size_t i = 0; i < values.size(); ++i)
    s += (i ? ", " : "") + std::to_string(std::clamp(values[i], -kFar, kFar));
  return s + "]";
}

std::vector<std::int64_t> torchPads(const std::vector<std::int64_t> &onnxPads) {
  const std::size_t rank = onnxPads.size() / 2;
  std::vector<std::int64_t> out;
  for (std::size_t j = 0; j < rank; ++j) {
    const std::size_t i = rank - 1 - j;
    out.push_back(onnxPads[i]);
    out.push_back(onnxPads[rank + i]);
  }
  return out;
}

Error Program::refuse(const OnnxNode &node, const std::string &why) {
  return fail(ErrorCode::InvalidInput,
              "cannot import node " + node.name + " (" + node.opType + "): " + why);
}

bool Program::has(const OnnxNode &node, std::size_t i) {
  return i < node.inputs.size() && !node.inputs[i].empty();
}

const OnnxTensor *Program::constant(const std::string &name) const {
  const auto it = m_constants.find(name);
  return it == m_constants.end() ? nullptr : it->second;
}

std::string Program::input(const OnnxNode &node, std::size_t i) {
  if (!has(node, i))
    return "None";
  const std::string &name = node.inputs[i];
  if (const auto it = m_vars.find(name); it != m_vars.end())
    return it->second;
  if (const auto it = m_registered.find(name); it != m_registered.end())
    return it->second;
  const OnnxTensor *t = constant(name);
  if (!t) // written by an output the converter does not produce (checked after each node)
    return "None";
  const std::string var = registerTensor(*t);
  m_registered[name] = var;
  return var;
}

std::optional<std::vector<std::int64_t>> Program::constantInts(const OnnxNode &node,
                                                               std::size_t i) const {
  if (!has(node, i))
    return std::nullopt;
  const OnnxTensor *t = constant(node.inputs[i]);
  if (!t || t->numel() > kLongestLiteralList)
    return std::nullopt; // read at run time instead
  std::vector<std::int64_t> out;
  constexpr double kFar = 4.6e18; // below 2^63
  for (std::int64_t k = 0; k < t->numel(); ++k) {
    if (!t->integers.empty()) {
      out.push_back(t->integers[static_cast<std::size_t>(k)]);
      continue;
    }
    const double v = t->at(static_cast<std::size_t>(k));
    if (!(std::abs(v) < kFar) || v != std::floor(v))
      return std::nullopt; // not an integer: the operator's own check refuses it at run time
    out.push_back(static_cast<std::int64_t>(v));
  }
  return out;
}

std::string Program::listInput(const OnnxNode &node, std::size_t i) {
  if (auto ints = constantInts(node, i))
    return intList(*ints);
  return "self._ints(" + input(node, i) + ")";
}

std::string Program::emit(const std::string &expression) {
  const std::string var = "v" + std::to_string(m_counter++);
  m_code << "    " << var << " = " << expression << "\n";
  return var;
}

void Program::bind(const OnnxNode &node, std::size_t i, const std::string &var) {
  if (i < node.outputs.size() && !node.outputs[i].empty())
    m_vars[node.outputs[i]] = var;
}

std::string Program::registerTensor(const OnnxTensor &t) {
  const std::string name = "c" + std::to_string(m_tensors++);
  at::Tensor value;
  if (!t.reals.empty() || (t.numel() == 0 && t.isReal() && t.type != ingest::OnnxType::Double))
    value = torch::from_blob(const_cast<float *>(t.reals.data()), t.shape, torch::kFloat32).clone();
  else if (t.type == ingest::OnnxType::Double)
    value =
        torch::from_blob(const_cast<double *>(t.doubles.data()), t.shape, torch::kFloat64).clone();
  else {
    value = torch::from_blob(const_cast<std::int64_t *>(t.integers.data()), t.shape, torch::kInt64)
                .clone();
    switch (t.type) {
    case ingest::OnnxType::Bool: value = value.to(torch::kBool); break;
    case ingest::OnnxType::Int32:
    case ingest::OnnxType::UInt16: value = value.to(torch::kInt32); break;
    case ingest::OnnxType::Int8: value = value.to(torch::kInt8); break;
    case ingest::OnnxType::UInt8: value = value.to(torch::kUInt8); break;
    case ingest::OnnxType::Int16: value = value.to(torch::kInt16); break;
    default: break;
    }
  }
  if (value.scalar_type() == torch::kFloat32)
    m_module.register_parameter(name, value, false);
  else
    m_module.register_buffer(name, value);
  return "self." + name;
}

const OnnxTensor &Program::keep(OnnxTensor tensor) {
  m_kept.push_back(std::move(tensor));
  return m_kept.back();
}

const OnnxAttribute *Program::attribute(const OnnxNode &node, const char *name) {
  const auto it = node.attributes.find(name);
  return it == node.attributes.end() ? nullptr : &it->second;
}

std::int64_t Program::intAttribute(const OnnxNode &node, const char *name, std::int64_t fallback) {
  const auto *a = attribute(node, name);
  return a ? a->i : fallback;
}

double Program::realAttribute(const OnnxNode &node, const char *name, double fallback) {
  const auto *a = attribute(node, name);
  return a ? a->f : fallback;
}

std::string Program::textAttribute(const OnnxNode &node, const char *name,
                                   const std::string &fallback) {
  const auto *a = attribute(node, name);
  return a ? a->s : fallback;
}

std::vector<std::int64_t> Program::intsAttribute(const OnnxNode &node, const char *name,
                                                 std::vector<std::int64_t> fallback) {
  const auto *a = attribute(node, name);
  return a ? a->ints : fallback;
}

Result<void> Program::convertConstant(const OnnxNode &node) {
  if (node.opType != "Constant")
    return {};
  if (const auto *value = attribute(node, "value")) {
    m_constants[node.outputs.at(0)] = &value->t;
    return {};
  }
  OnnxTensor t;
  const auto *one = attribute(node, "value_float");
  const auto *floats = attribute(node, "value_floats");
  const auto *integer = attribute(node, "value_int");
  const auto *integers = attribute(node, "value_ints");
  if (one) {
    t.reals = {one->f};
  } else if (floats) {
    t.reals = floats->floats;
    t.shape = {static_cast<std::int64_t>(floats->floats.size())};
  } else if (integer) {
    t.type = ingest::OnnxType::Int64;
    t.integers = {integer->i};
  } else if (integers) {
    t.type = ingest::OnnxType::Int64;
    t.integers = integers->ints;
    t.shape = {static_cast<std::int64_t>(integers->ints.size())};
  } else {
    return refuse(node, "only numeric constants are supported");
  }
  m_constants[node.outputs.at(0)] = &keep(std::move(t));
  return {};
}

namespace {

// Element-wise operators of one input: the libtorch expression with X for the input.
const std::map<std::string, std::string> &unaryForms() {
  static const std::map<std::string, std::string> forms = {
      {"Abs", "torch.abs(X)"},
      {"Neg", "torch.neg(X)"},
      {"Exp", "torch.exp(X)"},
      {"Log", "torch.log(X)"},
      {"Sqrt", "torch.sqrt(X)"},
      {"Reciprocal", "torch.reciprocal(X)"},
      {"Relu", "torch.relu(X)"},
      {"Sigmoid", "torch.sigmoid(X)"},
      {"Tanh", "torch.tanh(X)"},
      {"Erf", "torch.erf(X)"},
      {"Floor", "torch.floor(X)"},
      {"Ceil", "torch.ceil(X)"},
      {"Round", "torch.round(X)"},
      {"Sign", "torch.sign(X)"},
      {"Sin", "torch.sin(X)"},
      {"Cos", "torch.cos(X)"},
      {"Tan", "torch.tan(X)"},
      {"Asin", "torch.asin(X)"},
      {"Acos", "torch.acos(X)"},
      {"Atan", "torch.atan(X)"},
      {"Sinh", "torch.sinh(X)"},
      {"Cosh", "torch.cosh(X)"},
      {"Asinh", "torch.asinh(X)"},
      {"Acosh", "torch.acosh(X)"},
      {"Atanh", "torch.atanh(X)"},
      {"Softsign", "X / (1 + torch.abs(X))"},
      {"Softplus", "torch.where(X > 20, X, torch.log1p(torch.exp(X)))"},
      {"HardSwish", "torch.hardswish(X)"},
      {"Identity", "X"},
      {"Not", "torch.logical_not(X)"},
      {"IsNaN", "torch.isnan(X)"},
  };
  return forms;
}

// Element-wise operators of two inputs, broadcasting as numpy does: A and B.
const std::map<std::string, std::string> &binaryForms() {
  static const std::map<std::string, std::string> forms = {
      {"Add", "A + B"},
      {"Sub", "A - B"},
      {"Mul", "A * B"},
      {"Div", "self._div(A, B)"},
      {"Pow", "torch.pow(A, B).to(A.dtype)"},
      {"Equal", "torch.eq(A, B)"},
      {"Less", "torch.lt(A, B)"},
      {"LessOrEqual", "torch.le(A, B)"},
      {"Greater", "torch.gt(A, B)"},
      {"GreaterOrEqual", "torch.ge(A, B)"},
      {"And", "torch.logical_and(A, B)"},
      {"Or", "torch.logical_or(A, B)"},
      {"Xor", "torch.logical_xor(A, B)"},
  };
  return forms;
}

std::string substitute(std::string form, char placeholder, const std::string &value) {
  for (auto at = form.find(placeholder); at != std::string::npos;
       at = form.find(placeholder, at + value.size()))
    form.replace(at, 1, value);
  return form;
}

} // namespace

// The torch dtype for an ONNX Cast target, as its ScalarType number: the C++ script resolver
// knows no torch.int64 (0 uint8, 1 int8, 2 int16, 3 int32, 4 int64, 6 float32, 7 float64,
// 11 bool).
std::optional<std::string> torchDtype(std::int64_t onnxType) {
  switch (static_cast<ingest::OnnxType>(onnxType)) {
  case ingest::OnnxType::Float:
  case ingest::OnnxType::Float16: // computed in float32: libtorch's CPU half support is partial
  case ingest::OnnxType::BFloat16: return "6";
  case ingest::OnnxType::Double: return "7";
  case ingest::OnnxType::Int64:
  case ingest::OnnxType::UInt32:
  case ingest::OnnxType::UInt64: return "4";
  case ingest::OnnxType::Int32:
  case ingest::OnnxType::UInt16: return "3";
  case ingest::OnnxType::Int16: return "2";
  case ingest::OnnxType::Int8: return "1";
  case ingest::OnnxType::UInt8: return "0";
  case ingest::OnnxType::Bool: return "11";
  default: return std::nullopt;
  }
}

Result<void> Program::convertElementwise(const OnnxNode &node, bool &handled) {
  handled = true;
  const std::string &op = node.opType;
  if (const auto form = unaryForms().find(op); form != unaryForms().end()) {
    bind(node, 0, emit(substitute(form->second, 'X', input(node, 0))));
    return {};
  }
  if (const auto form = binaryForms().find(op); form != binaryForms().end()) {
    const std::string a = input(node, 0);
    std::string b = input(node, 1);
    // Before opset 7, B broadcast only when asked, aligned at `axis` of A (numpy's trailing
    // alignment when no axis is given).
    if (opset() < 7 && intAttribute(node, "broadcast", 0) != 0 && attribute(node, "axis"))
      b = emit("self._legacy_broadcast(" + a + ", " + b + ", " +
               std::to_string(intAttribute(node, "axis", 0)) + ")");
    bind(node, 0, emit(substitute(substitute(form->second, 'A', a), 'B', b)));
    return {};
  }
  const std::string x = has(node, 0) ? input(node, 0) : "";
  if (op == "LeakyRelu") {
    bind(node, 0,
         emit("torch.leaky_relu(" + x + ", " + realLiteral(realAttribute(node, "alpha", 0.01)) +
              ")"));
  } else if (op == "Elu") {
    bind(node, 0,
         emit("torch.elu(" + x + ", " + realLiteral(realAttribute(node, "alpha", 1.0)) +
              ", 1.0, 1.0)"));
  } else if (op == "Celu") {
    bind(node, 0,
         emit("torch.celu(" + x + ", " + realLiteral(realAttribute(node, "alpha", 1.0)) + ")"));
  } else if (op == "Selu") {
    const std::string alpha = realLiteral(realAttribute(node, "alpha", 1.67326319217681884765625));
    const std::string gamma = realLiteral(realAttribute(node, "gamma", 1.05070102214813232421875));
    bind(node, 0,
         emit(gamma + " * torch.where(" + x + " > 0, " + x + ", " + alpha + " * (torch.exp(" + x +
              ") - 1))"));
  } else if (op == "HardSigmoid") {
    bind(node, 0,
         emit("torch.clamp(" + x + " * " + realLiteral(realAttribute(node, "alpha", 0.2)) + " + " +
              realLiteral(realAttribute(node, "beta", 0.5)) + ", 0.0, 1.0)"));
  } else if (op == "ThresholdedRelu") {
    const std::string alpha = realLiteral(realAttribute(node, "alpha", 1.0));
    bind(node, 0,
         emit("torch.where(" + x + " > " + alpha + ", " + x + ", torch.zeros_like(" + x + "))"));
  } else if (op == "PRelu") {
    std::string slope = input(node, 1);
    if (opset() < 7) // a slope per channel, aligned at axis 1
      slope = emit("self._legacy_broadcast(" + x + ", " + slope + ", 1)");
    bind(node, 0, emit("torch.where(" + x + " < 0, " + x + " * " + slope + ", " + x + ")"));
  } else if (op == "Clip") {
    std::string y = x;
    if (opset() < 11) {
      if (attribute(node, "min"))
        y = emit("torch.clamp_min(" + y + ", " + realLiteral(realAttribute(node, "min", 0)) + ")");
      if (attribute(node, "max"))
        y = emit("torch.clamp_max(" + y + ", " + realLiteral(realAttribute(node, "max", 0)) + ")");
    } else {
      if (has(node, 1))
        y = emit("torch.clamp_min(" + y + ", " + input(node, 1) + ")");
      if (has(node, 2))
        y = emit("torch.clamp_max(" + y + ", " + input(node, 2) + ")");
    }
    bind(node, 0, y == x ? emit(x) : y);
  } else if (op == "Mod") {
    const bool fmod = intAttribute(node, "fmod", 0) != 0;
    bind(node, 0,
         emit(std::string(fmod ? "torch.fmod(" : "torch.remainder(") + x + ", " + input(node, 1) +
              ")"));
  } else if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean") {
    std::string y = x;
    for (std::size_t i = 1; i < node.inputs.size(); ++i) {
      const std::string other = input(node, i);
      if (op == "Max")
        y = emit("torch.maximum(" + y + ", " + other + ")");
      else if (op == "Min")
        y = emit("torch.minimum(" + y + ", " + other + ")");
      else
        y = emit(y + " + " + other);
    }
    if (op == "Mean")
      y = emit(y + " / " + std::to_string(node.inputs.size()));
    bind(node, 0, y == x ? emit(x) : y);
  } else if (op == "Where") {
    bind(node, 0, emit("torch.where(" + x + ", " + input(node, 1) + ", " + input(node, 2) + ")"));
  } else if (op == "Cast") {
    const auto dtype = torchDtype(intAttribute(node, "to", 0));
    if (!dtype)
      return refuse(node, "casting to " + ingest::onnxTypeName(int(intAttribute(node, "to", 0))) +
                              " is not supported");
    // Values cast to float16 or bfloat16 are rounded to that precision, then computed on in
    // float32 (ScalarType 5 is float16, 15 bfloat16).
    const auto to = static_cast<ingest::OnnxType>(intAttribute(node, "to", 0));
    const std::string rounded = to == ingest::OnnxType::Float16    ? ".to(5)"
                                : to == ingest::OnnxType::BFloat16 ? ".to(15)"
                                                                   : "";
    bind(node, 0, emit(x + rounded + ".to(" + *dtype + ")"));
  } else if (op == "IsInf") {
    std::string test = "torch.isinf(" + x + ")";
    if (intAttribute(node, "detect_negative", 1) == 0)
      test = "torch.logical_and(" + test + ", " + x + " > 0)";
    if (intAttribute(node, "detect_positive", 1) == 0)
      test = "torch.logical_and(" + test + ", " + x + " < 0)";
    bind(node, 0, emit(test));
  } else if (op == "Dropout") {
    if (node.outputs.size() > 1 && !node.outputs[1].empty())
      return refuse(node, "its mask output is not supported");
    const auto training = constantInts(node, 2);
    if (has(node, 2) && (!training || training->empty() || training->front() != 0))
      return refuse(node, "training mode is not supported");
    bind(node, 0, emit(x));
  } else {
    handled = false;
  }
  return {};
}

namespace {

// The inputs an operator cannot do without (at the opsets read); 1 when not listed.
std::size_t requiredInputs(const std::string &op, std::int64_t opset) {
  static const std::map<std::string, std::size_t> counts = {{"Constant", 0},
                                                            {"Where", 3},
                                                            {"Range", 3},
                                                            {"BatchNormalization", 5},
                                                            {"InstanceNormalization", 3},
                                                            {"Gemm", 2},
                                                            {"MatMul", 2},
                                                            {"Conv", 2},
                                                            {"ConvTranspose", 2},
                                                            {"LayerNormalization", 2},
                                                            {"PRelu", 2},
                                                            {"Mod", 2},
                                                            {"Expand", 2},
                                                            {"Tile", 2},
                                                            {"Gather", 2},
                                                            {"GatherElements", 2},
                                                            {"CumSum", 2},
                                                            {"Einsum", 1}};
  if (const auto it = counts.find(op); it != counts.end())
    return it->second;
  if (binaryForms().count(op) || (op == "Reshape" && opset >= 5) || (op == "Pad" && opset >= 11))
    return 2;
  if (op == "Slice" && opset >= 10)
    return 3;
  return 1;
}

// The kind each attribute name must have (per operator where names are shared).
std::optional<OnnxAttribute::Kind> expectedKind(const std::string &op, const std::string &name) {
  using Kind = OnnxAttribute::Kind;
  static const std::set<std::string> ints = {
      "kernel_shape", "strides", "dilations", "pads", "perm",  "axes",      "output_padding",
      "output_shape", "split",   "starts",    "ends", "shape", "value_ints"};
  static const std::set<std::string> integer = {"axis",
                                                "group",
                                                "keepdims",
                                                "transA",
                                                "transB",
                                                "ceil_mode",
                                                "count_include_pad",
                                                "select_last_index",
                                                "noop_with_empty_axes",
                                                "allowzero",
                                                "to",
                                                "fmod",
                                                "exclusive",
                                                "reverse",
                                                "detect_negative",
                                                "detect_positive",
                                                "training_mode",
                                                "start",
                                                "end",
                                                "size",
                                                "value_int",
                                                "broadcast"};
  static const std::set<std::string> real = {"alpha", "beta", "gamma", "epsilon",
                                             "bias",  "min",  "max",   "value_float"};
  static const std::set<std::string> text = {"auto_pad", "mode", "equation"};
  if (name == "value")
    return op == "Pad" ? Kind::Float : Kind::Tensor;
  if (name == "value_floats")
    return Kind::Floats;
  if (ints.count(name))
    return Kind::Ints;
  if (integer.count(name))
    return Kind::Int;
  if (real.count(name))
    return Kind::Float;
  if (text.count(name))
    return Kind::String;
  return std::nullopt; // not read by the converter
}

} // namespace

Result<void> Program::checkNode(const OnnxNode &node) const {
  if (node.outputs.empty() || node.outputs.front().empty())
    return refuse(node, "it has no output");
  for (std::size_t i = 0; i < requiredInputs(node.opType, opset()); ++i)
    if (!has(node, i))
      return refuse(node, "its input " + std::to_string(i) + " is missing");
  for (const auto &[name, a] : node.attributes)
    if (const auto kind = expectedKind(node.opType, name); kind && a.kind != *kind)
      return refuse(node, "its attribute " + name + " has the wrong kind");
  return {};
}

Result<void> Program::convertNode(const OnnxNode &node) {
  if (auto checked = checkNode(node); !checked)
    return checked;
  Result<void> converted = convertConstant(node);
  if (node.opType != "Constant") {
    bool handled = false;
    for (auto family :
         {&Program::convertElementwise, &Program::convertTensor, &Program::convertReduction}) {
      converted = (this->*family)(node, handled);
      if (!converted || handled)
        break;
    }
    if (!handled && converted)
      converted = isNeural(node.opType) ? convertNeural(node)
                                        : refuse(node, "the operator is not supported");
  }
  if (!converted)
    return converted;
  for (std::size_t i = 0; i < node.outputs.size(); ++i)
    if (!node.outputs[i].empty() && !m_vars.count(node.outputs[i]) &&
        !m_constants.count(node.outputs[i]))
      return refuse(node, "its output " + std::to_string(i) + " is not supported");
  return {};
}

int Program::rank(const std::string &name) const {
  if (const auto it = m_ranks.find(name); it != m_ranks.end())
    return it->second;
  if (const OnnxTensor *t = constant(name))
    return static_cast<int>(t->shape.size());
  return -1;
}

void Program::propagateRank(const OnnxNode &node) {
  static const std::set<std::string> sameRank = wordsOf(
      "Conv ConvTranspose MaxPool AveragePool GlobalAveragePool GlobalMaxPool BatchNormalization "
      "InstanceNormalization LayerNormalization LRN Softmax LogSoftmax Dropout Clip Cast Pad "
      "Transpose Concat Slice Split Tile CumSum LeakyRelu Elu Celu Selu HardSigmoid "
      "ThresholdedRelu PRelu IsInf");
  static const std::set<std::string> broadcasting = wordsOf("Max Min Sum Mean Where");
  const std::string &op = node.opType;
  const int first = node.inputs.empty() ? -1 : rank(node.inputs[0]);
  int r = -1;
  if (sameRank.count(op) || unaryForms().count(op)) {
    r = first;
  } else if (binaryForms().count(op) || broadcasting.count(op)) {
    r = 0;
    for (const auto &input : node.inputs)
      r = rank(input) < 0 || r < 0 ? -1 : std::max(r, rank(input));
  } else if (op == "Flatten" || op == "Gemm") {
    r = 2;
  } else if (op == "MatMul" && node.inputs.size() == 2) {
    const int second = rank(node.inputs[1]);
    if (first >= 2 && second >= 2)
      r = std::max(first, second);
  } else if (op == "Reshape") {
    if (const auto shape = constantInts(node, 1))
      r = static_cast<int>(shape->size());
  } else if (op == "Unsqueeze" || op == "Squeeze") {
    const auto axes =
        opset() >= 13 ? constantInts(node, 1) : std::optional(intsAttribute(node, "axes", {}));
    if (first >= 0 && axes && !axes->empty())
      r = first + (op == "Unsqueeze" ? 1 : -1) * static_cast<int>(axes->size());
  } else if (op.rfind("Reduce", 0) == 0 && intAttribute(node, "keepdims", 1) != 0) {
    r = first;
  }
  for (const auto &output : node.outputs)
    if (!output.empty() && r >= 0)
      m_ranks[output] = r;
}

Result<std::vector<std::int64_t>> Program::build(const std::filesystem::path &out) {
  if (m_graph.inputs.size() != 1)
    return fail(ErrorCode::InvalidInput,
                "the model has " + std::to_string(m_graph.inputs.size()) +
                    " run-time inputs; only models with one input can be imported");
  if (m_graph.outputs.size() != 1)
    return fail(ErrorCode::InvalidInput,
                "the model has " + std::to_string(m_graph.outputs.size()) +
                    " outputs; only models with one output can be imported");
  const auto &in = m_graph.inputs.front();
  if (in.type != 0 && in.type != int(ingest::OnnxType::Float))
    return fail(ErrorCode::InvalidInput, "the model's input " + in.name + " holds " +
                                             ingest::onnxTypeName(in.type) +
                                             " values; only float inputs are supported");
  if (!in.hasShape)
    return fail(ErrorCode::InvalidInput,
                "the model's input " + in.name + " has no shape in the file; export it with one");
  std::vector<std::int64_t> inputShape;
  std::int64_t values = 1;
  for (std::size_t i = 0; i < in.shape.size(); ++i) {
    if (in.shape[i] < 0 && i > 0)
      return fail(ErrorCode::InvalidInput,
                  "the model's input " + in.name + " has a symbolic dimension at position " +
                      std::to_string(i) +
                      "; only the batch dimension may be symbolic (export with a fixed size)");
    inputShape.push_back(in.shape[i] < 0 ? 1 : in.shape[i]); // a symbolic batch of 1
    values = inputShape.back() > 0 && values > kLargestInput / inputShape.back()
                 ? kLargestInput + 1
                 : values * inputShape.back();
  }
  if (values > kLargestInput)
    return fail(ErrorCode::InvalidInput, "the model's input " + in.name +
                                             " has more than 2^28 values, which is not supported");
  m_vars[in.name] = "x";
  for (const auto &[name, tensor] : m_graph.initializers)
    m_constants[name] = &tensor;
  m_ranks[in.name] = static_cast<int>(in.shape.size());
  try {
    for (const auto &node : m_graph.nodes) {
      if (auto converted = convertNode(node); !converted)
        return converted.error();
      propagateRank(node);
    }
    const std::string &outName = m_graph.outputs.front().name;
    std::string result;
    if (const auto it = m_vars.find(outName); it != m_vars.end())
      result = it->second;
    else if (m_constants.count(outName))
      result = input(OnnxNode{"output", "Identity", {outName}, {}, {}}, 0);
    else
      return fail(ErrorCode::InvalidInput, "the graph's output " + outName + " is not produced");
    m_module.define(std::string(kHelpers) + "\ndef forward(self, x: Tensor) -> Tensor:\n" +
                    m_code.str() + "    return " + result + ".to(6)\n");
    m_module.eval();
    // One run on zeros proves the program is well-formed before it is saved.
    (void)m_module.forward({torch::zeros(inputShape)});
    m_module.save(out.string());
  } catch (const c10::Error &e) {
    return fail(ErrorCode::InvalidInput,
                "the converted ONNX program failed: " + firstParagraph(e.what_without_backtrace()));
  } catch (const std::bad_alloc &) {
    return fail(ErrorCode::InvalidInput, "converting the ONNX model ran out of memory");
  } catch (const std::exception &e) { // the script compiler's ErrorReport, or a bug of ours
    return fail(ErrorCode::Internal,
                "the converted ONNX program does not compile: " + firstParagraph(e.what()));
  }
  return inputShape;
}

} // namespace onnx

const std::set<std::string> &supportedOnnxOperators() {
  static const std::set<std::string> ops = [] {
    std::set<std::string> all = onnx::wordsOf(
        "Constant IsInf LeakyRelu Elu Celu Selu HardSigmoid ThresholdedRelu PRelu Clip Mod Max "
        "Min Sum Mean Where Cast Dropout ArgMax ArgMin ReduceSum ReduceMean ReduceMax ReduceMin "
        "ReduceProd ReduceL1 ReduceL2 ReduceSumSquare ReduceLogSum ReduceLogSumExp Reshape "
        "Flatten Transpose Squeeze Unsqueeze Concat Split Slice Gather GatherElements Shape Size "
        "Expand Tile ConstantOfShape Range Einsum CumSum Pad");
    all.merge(onnx::wordsOf(onnx::kNeuralOperators));
    for (const auto &[op, form] : onnx::unaryForms())
      all.insert(op);
    for (const auto &[op, form] : onnx::binaryForms())
      all.insert(op);
    return all;
  }();
  return ops;
}

std::vector<std::string> unsupportedOnnxOperators(const ingest::OnnxGraph &graph) {
  std::vector<std::string> out;
  for (const auto &node : graph.nodes)
    if (!supportedOnnxOperators().count(node.opType) &&
        std::find(out.begin(), out.end(), node.opType) == out.end())
      out.push_back(node.opType);
  return out;
}

Result<std::vector<std::int64_t>> exportOnnxToTorchScript(const ingest::OnnxGraph &graph,
                                                          const std::filesystem::path &out) {
  if (const auto missing = unsupportedOnnxOperators(graph); !missing.empty()) {
    std::string names;
    for (const auto &op : missing)
      names += (names.empty() ? "" : ", ") + op;
    return fail(ErrorCode::InvalidInput, "the model uses ONNX operators that are not supported: " +
                                             names + " (docs/models.md lists those that are)");
  }
  onnx::Program program(graph);
  return program.build(out);
}

Result<CompiledModel> compileOnnxModel(const std::filesystem::path &file,
                                       const CompileOptions &options) {
  auto graph = ingest::readOnnxModel(file);
  if (!graph)
    return graph.error();
  std::string folder = paths::privateScratchTemplate();
  if (!mkdtemp(folder.data()))
    return fail(ErrorCode::Io, "cannot make a scratch folder to convert " + file.string());
  const std::filesystem::path program = std::filesystem::path(folder) / "model.pt";
  auto exported = exportOnnxToTorchScript(*graph, program);
  Result<CompiledModel> compiled =
      exported ? compileModel(program, options) : Result<CompiledModel>(exported.error());
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  if (!compiled)
    return compiled.error().withContext(file.string());
  return compiled;
}

} // namespace nesa::model
