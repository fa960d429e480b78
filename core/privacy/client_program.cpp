#include "privacy/internal/client_program.h"

#include "model/internal/remote_call.h"

#include <torch/csrc/jit/ir/irparser.h>

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace nesa::privacy {

namespace {

using torch::jit::Block;
using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;

// Ops on tensors: their first operand must be a tensor (list, string and integer overloads of
// the same names are refused: `[0] * n` allocates without bound, `a // b` can trap).
const std::set<std::string> kTensorOps = {
    // the remote linear calls, computed from the miner's copy of the bundle
    model::kRemoteLinearOp,
    // element-wise activations
    "aten::relu", "aten::relu_", "aten::leaky_relu", "aten::leaky_relu_", "aten::gelu",
    "aten::sigmoid", "aten::sigmoid_", "aten::tanh", "aten::tanh_", "aten::silu", "aten::silu_",
    "aten::hardtanh", "aten::hardtanh_", "aten::relu6", "aten::elu", "aten::elu_",
    "aten::hardswish", "aten::hardswish_", "aten::hardsigmoid", "aten::hardsigmoid_",
    "aten::softplus", "aten::mish", "aten::exp", "aten::log", "aten::abs", "aten::sqrt",
    "aten::rsqrt", "aten::clamp", "aten::clamp_min", "aten::clamp_max", "aten::softmax",
    "aten::log_softmax", "aten::neg", "aten::dropout",
    // arithmetic with scalars or other activations
    "aten::add", "aten::add_", "aten::sub", "aten::sub_", "aten::mul", "aten::mul_", "aten::div",
    "aten::div_", "aten::rsub",
    // pooling (fixed windows)
    "aten::max_pool1d", "aten::max_pool2d", "aten::max_pool3d", "aten::avg_pool1d",
    "aten::avg_pool2d", "aten::avg_pool3d",
    // layout and reductions
    "aten::flatten", "aten::mean", "aten::sum", "aten::amax", "aten::contiguous", "aten::clone",
    "aten::detach",
    // shape queries
    "aten::size", "aten::dim", "aten::numel"};

// Ops whose output size the program chooses: allowed with constant sizes within bounds.
const std::set<std::string> kSizedOps = {
    "aten::adaptive_avg_pool1d", "aten::adaptive_avg_pool2d", "aten::adaptive_avg_pool3d",
    "aten::adaptive_max_pool1d", "aten::adaptive_max_pool2d", "aten::adaptive_max_pool3d",
    "aten::upsample_nearest1d",  "aten::upsample_nearest2d",  "aten::upsample_nearest3d",
    "aten::upsample_bilinear2d", "aten::upsample_trilinear3d"};

// Scalar and list ops of bounded cost, and the graph's own structure.
const std::set<std::string> kStructureOps = {"aten::len",
                                             "aten::__getitem__",
                                             "aten::Int",
                                             "aten::Float",
                                             "aten::Bool",
                                             "aten::ScalarImplicit",
                                             "aten::eq",
                                             "aten::ne",
                                             "aten::lt",
                                             "aten::gt",
                                             "aten::le",
                                             "aten::ge",
                                             "aten::__is__",
                                             "aten::__isnot__",
                                             "aten::__not__",
                                             "prim::Constant",
                                             "prim::ListConstruct",
                                             "prim::ListUnpack",
                                             "prim::NumToTensor",
                                             "prim::If",
                                             "prim::RaiseException",
                                             "prim::device",
                                             "prim::dtype",
                                             "prim::shape"};

// Fixed-window pooling: window, stride, padding and dilation constants of at most this.
const std::set<std::string> kPoolOps = {"aten::max_pool1d", "aten::max_pool2d", "aten::max_pool3d",
                                        "aten::avg_pool1d", "aten::avg_pool2d", "aten::avg_pool3d"};
constexpr std::int64_t kMaxWindow = 16;

// Ops with an optional dtype argument (at this input), which must be None: a dtype code the
// kernels do not know is read out of bounds.
const std::vector<std::pair<std::string, std::size_t>> kNoDtype = {
    {"aten::softmax", 2}, {"aten::log_softmax", 2}, {"aten::mean", 3}, {"aten::sum", 3}};

constexpr int kMaxDepth = 32;
constexpr double kMaxScale = 16;               // upsampling factor, and 1 / the smallest one
constexpr std::int64_t kMaxSizedExtent = 4096; // each output extent an op may ask for

Error refused(const std::string &why) {
  return fail(ErrorCode::InvalidInput,
              "the client program " + why + ", which a miner does not run");
}

bool isTensor(const Value *value) { return value->type()->kind() == c10::TypeKind::TensorType; }

// The value of a constant, or nullopt (also for one that is malformed).
std::optional<c10::IValue> constantOf(const Value *value) {
  try {
    return torch::jit::toIValue(value);
  } catch (const std::exception &) {
    return std::nullopt;
  }
}

bool isNoneConstant(const Value *value) {
  const auto constant = constantOf(value);
  return constant && constant->isNone();
}

// A pooling op: every window, stride, padding and dilation a constant within [0, kMaxWindow].
Result<void> checkWindows(const Node &node, const std::string &kind) {
  for (std::size_t i = 1; i < node.inputs().size(); ++i) {
    const auto constant = constantOf(node.inputs()[i]);
    if (!constant)
      return refused("pools with a computed window (" + kind + ")");
    std::vector<std::int64_t> values;
    if (constant->isIntList())
      values = constant->toIntVector();
    else if (constant->isInt())
      values = {constant->toInt()};
    else if (!constant->isBool() && !constant->isNone())
      return refused("pools with a window that is not a size (" + kind + ")");
    for (auto v : values)
      if (v < 0 || v > kMaxWindow)
        return refused("pools with a window beyond the bounds (" + kind + ")");
  }
  return {};
}

// A size another tensor of the program already has: `aten::size` of it, an element of that
// list, or a list of such sizes (a U-Net upsamples to its skip connection's size).
bool sizeOfATensor(const Value *value, int depth = 0) {
  const Node *node = value->node();
  const std::string kind = node->kind().toQualString();
  if (kind == "aten::size" || kind == "prim::shape")
    return !node->inputs().empty() && isTensor(node->inputs()[0]);
  if (depth > 2)
    return false;
  if (kind == "aten::__getitem__")
    return !node->inputs().empty() && sizeOfATensor(node->inputs()[0], depth + 1);
  if (kind == "prim::ListConstruct") {
    for (const Value *element : node->inputs()) {
      if (sizeOfATensor(element, depth + 1))
        continue;
      const auto constant = constantOf(element);
      if (!constant || !constant->isInt() || constant->toInt() < 0 ||
          constant->toInt() > kMaxSizedExtent)
        return false;
    }
    return true;
  }
  return false;
}

// An op that sets its output size: every size and scale a constant within bounds, or a size
// another tensor already has.
Result<void> checkSizes(const Node &node, const std::string &kind) {
  for (std::size_t i = 1; i < node.inputs().size(); ++i) {
    const auto constant = constantOf(node.inputs()[i]);
    if (!constant) {
      if (sizeOfATensor(node.inputs()[i]))
        continue;
      return refused("sizes " + kind + " from a computed value");
    }
    const auto within = [](const c10::IValue &v) {
      if (v.isNone() || v.isBool())
        return true;
      if (v.isInt())
        return v.toInt() >= 0 && v.toInt() <= kMaxSizedExtent;
      if (v.isDouble())
        return v.toDouble() >= 1 / kMaxScale && v.toDouble() <= kMaxScale;
      return false;
    };
    bool ok = true;
    if (constant->isIntList()) {
      for (auto v : constant->toIntVector())
        ok = ok && within(c10::IValue(v));
    } else if (constant->isDoubleList()) {
      for (auto v : constant->toDoubleVector())
        ok = ok && within(c10::IValue(v));
    } else {
      ok = within(*constant);
    }
    if (!ok)
      return refused("asks " + kind + " for a size or scale beyond the bounds");
  }
  return {};
}

Result<void> checkBlock(const Block &block, int depth) {
  if (depth > kMaxDepth)
    return refused("nests blocks more than " + std::to_string(kMaxDepth) + " deep");
  for (const Node *node : block.nodes()) {
    const std::string kind = node->kind().toQualString();
    if (kTensorOps.count(kind) || kSizedOps.count(kind)) {
      // remote_linear(int[] ops, Tensor x); every other op's tensor comes first
      const std::size_t operand = kind == model::kRemoteLinearOp ? 1 : 0;
      if (node->inputs().size() <= operand || !isTensor(node->inputs()[operand]))
        return refused("uses " + kind + " on something other than a tensor");
      if (kSizedOps.count(kind))
        if (auto sized = checkSizes(*node, kind); !sized)
          return sized;
      if (kPoolOps.count(kind))
        if (auto pooled = checkWindows(*node, kind); !pooled)
          return pooled;
      if ((kind == "aten::div" || kind == "aten::div_") && node->inputs().size() != 2)
        return refused("divides with a rounding mode");
      for (const auto &[op, at] : kNoDtype)
        if (kind == op && node->inputs().size() > at && !isNoneConstant(node->inputs()[at]))
          return refused("asks " + kind + " for a dtype");
    } else if (kind == "prim::Constant") {
      if (node->outputs().size() != 1 || isTensor(node->output()) || !constantOf(node->output()))
        return refused("holds a tensor constant or one without its value");
    } else if (kind == "prim::If") {
      // Each branch must yield what the node says it does: the interpreter does not check.
      if (node->blocks().size() != 2)
        return refused("has an if without both branches");
      for (const Block *branch : node->blocks())
        if (branch->outputs().size() != node->outputs().size())
          return refused("has an if whose branches yield other values than it declares");
    } else if (!kStructureOps.count(kind)) {
      return refused("uses " + kind);
    }
    for (const Block *inner : node->blocks())
      if (auto checked = checkBlock(*inner, depth + 1); !checked)
        return checked;
  }
  return {};
}

Result<void> checkGraph(const Graph &graph) {
  if (graph.inputs().size() != 1 || !isTensor(graph.inputs()[0]) || graph.outputs().size() != 1)
    return refused("does not take one tensor to one value");
  return checkBlock(*graph.block(), 0);
}

// Every constant of `graph`, in order, blocks included.
void collectConstants(const Block &block, std::vector<c10::IValue> &out) {
  for (const Node *node : block.nodes()) {
    if (node->kind() == c10::prim::Constant)
      out.push_back(torch::jit::toIValue(node->output()).value_or(c10::IValue()));
    for (const Block *inner : node->blocks())
      collectConstants(*inner, out);
  }
}

Result<std::shared_ptr<Graph>> parse(const std::string &text) {
  auto graph = std::make_shared<Graph>();
  try {
    torch::jit::parseIR(text, graph.get()); // tensor constants throw
  } catch (const std::exception &) {
    return fail(ErrorCode::InvalidInput, "the client program is not TorchScript IR a miner reads");
  }
  return graph;
}

} // namespace

std::string interpreterError(const std::exception &error) {
  const auto *torchError = dynamic_cast<const c10::Error *>(&error);
  std::string what = torchError ? torchError->what_without_backtrace() : error.what();
  while (!what.empty() && what.back() == '\n')
    what.pop_back();
  if (auto line = what.rfind('\n'); line != std::string::npos)
    what = what.substr(line + 1);
  return what;
}

Result<std::vector<std::uint8_t>> serializeClientProgram(const torch::jit::Module &client) {
  const auto forward = client.find_method("forward");
  if (!forward)
    return fail(ErrorCode::InvalidInput, "the client program has no forward method");
  auto graph = forward->graph()->copy();
  if (graph->inputs().empty() || graph->inputs()[0]->hasUses())
    return refused("reads its module's attributes");
  graph->eraseInput(0); // self
  if (auto checked = checkGraph(*graph); !checked)
    return checked.error();
  const std::string text = graph->toString(false);
  if (text.size() > kMaxProgramTextBytes)
    return refused("is larger than " + std::to_string(kMaxProgramTextBytes) + " bytes");
  // The miner runs what the text says: it must say exactly what this graph does.
  auto parsed = parse(text);
  if (!parsed)
    return parsed.error();
  std::vector<c10::IValue> mine, theirs;
  collectConstants(*graph->block(), mine);
  collectConstants(*(*parsed)->block(), theirs);
  bool same = mine.size() == theirs.size();
  for (std::size_t i = 0; same && i < mine.size(); ++i)
    same = mine[i].tagKind() == theirs[i].tagKind() && mine[i].equals(theirs[i]).toBool();
  if (!same)
    return refused("has constants its text cannot carry exactly");
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

Result<std::shared_ptr<Graph>> loadClientProgram(std::span<const std::uint8_t> text) {
  if (text.empty())
    return fail(ErrorCode::InvalidInput, "the bundle holds no client program");
  if (text.size() > kMaxProgramTextBytes)
    return refused("is larger than " + std::to_string(kMaxProgramTextBytes) + " bytes");
  // The parser recurses into blocks (deeper indentation) and nested lists: bound both before it
  // sees the text.
  std::size_t indent = 0, deepestIndent = 0;
  int brackets = 0, deepestBrackets = 0;
  bool lineStart = true;
  for (const auto c : text) {
    if (c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\0')
      return refused("holds characters IR text does not");
    if (c == '\n') {
      lineStart = true;
      indent = 0;
      continue;
    }
    if (lineStart && c == ' ')
      deepestIndent = std::max(deepestIndent, ++indent);
    else
      lineStart = false;
    brackets += c == '[' || c == '(' ? 1 : c == ']' || c == ')' ? -1 : 0;
    deepestBrackets = std::max(deepestBrackets, brackets);
  }
  if (deepestIndent > 4 * (2 * kMaxDepth + 2) || deepestBrackets > 8)
    return refused("nests blocks or lists too deep");
  model::ensureRemoteLinearRegistered();
  auto graph = parse(std::string(text.begin(), text.end()));
  if (!graph)
    return graph.error();
  if (auto checked = checkGraph(**graph); !checked)
    return checked.error();
  return graph;
}

} // namespace nesa::privacy
