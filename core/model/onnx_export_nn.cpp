// The neural-network operators of an ONNX graph: convolution, pooling, normalization, Gemm,
// MatMul and softmax. The constant-weight Conv, Gemm and MatMul become aten::conv*, aten::linear
// and aten::matmul calls with constant weights, which compileModel() moves to the miners.
#include "model/internal/onnx_program.h"

#include <set>

namespace nesa::model::onnx {
namespace {

bool symmetric(const std::vector<std::int64_t> &pads) {
  const std::size_t rank = pads.size() / 2;
  for (std::size_t i = 0; i < rank; ++i)
    if (pads[i] != pads[rank + i])
      return false;
  return true;
}

std::string rankSuffix(std::size_t rank) { return std::to_string(rank) + "d("; }

// The window shape, strides, dilations and explicit pads of a convolution or pooling node.
struct Window {
  std::vector<std::int64_t> kernel, strides, dilations, pads;
  std::string autoPad; // NOTSET, SAME_UPPER, SAME_LOWER or VALID
  std::size_t rank() const { return kernel.size(); }
  bool same() const { return autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER"; }
  std::string samePads(const std::string &x) const {
    return "self._same_pads(" + x + ", " + intList(kernel) + ", " + intList(strides) + ", " +
           intList(dilations) + ", " + (autoPad == "SAME_UPPER" ? "True" : "False") + ")";
  }
  std::vector<std::int64_t> begins() const { return {pads.begin(), pads.begin() + rank()}; }
  std::vector<std::int64_t> zeros() const { return std::vector<std::int64_t>(rank(), 0); }
};

Result<Window> windowOf(const OnnxNode &node, std::vector<std::int64_t> kernel) {
  Window w;
  w.kernel = Program::intsAttribute(node, "kernel_shape", std::move(kernel));
  const std::size_t r = w.kernel.size();
  if (r < 1 || r > 3)
    return Program::refuse(node, "only 1-, 2- and 3-dimensional windows are supported (the "
                                 "kernel's shape must be known)");
  w.strides = Program::intsAttribute(node, "strides", std::vector<std::int64_t>(r, 1));
  w.dilations = Program::intsAttribute(node, "dilations", std::vector<std::int64_t>(r, 1));
  w.pads = Program::intsAttribute(node, "pads", std::vector<std::int64_t>(2 * r, 0));
  w.autoPad = Program::textAttribute(node, "auto_pad", "NOTSET");
  if (w.autoPad != "NOTSET" && w.autoPad != "VALID" && !w.same())
    return Program::refuse(node, "its auto_pad \"" + w.autoPad + "\" is not one ONNX defines");
  if (w.autoPad == "VALID")
    w.pads.assign(2 * r, 0);
  if (w.strides.size() != r || w.dilations.size() != r || w.pads.size() != 2 * r)
    return Program::refuse(node, "its strides, dilations or pads do not fit its kernel");
  // Bounds far beyond any real model keep the arithmetic on them from overflowing.
  constexpr std::int64_t kFar = std::int64_t{1} << 24;
  for (std::size_t i = 0; i < r; ++i)
    for (const std::int64_t v : {w.kernel[i], w.strides[i], w.dilations[i]})
      if (v < 1 || v > kFar)
        return Program::refuse(node, "its kernel, strides or dilations are out of range");
  for (const std::int64_t pad : w.pads)
    if (pad < 0 || pad > kFar)
      return Program::refuse(node, "its pads are out of range");
  return w;
}

} // namespace

extern const char *const kNeuralOperators =
    "Conv ConvTranspose Gemm MatMul BatchNormalization InstanceNormalization LayerNormalization "
    "MaxPool AveragePool GlobalAveragePool GlobalMaxPool Softmax LogSoftmax LRN";

bool Program::isNeural(const std::string &op) {
  static const std::set<std::string> ops = wordsOf(kNeuralOperators);
  return ops.count(op) > 0;
}

Result<void> Program::convertNeural(const OnnxNode &node) {
  const std::string &op = node.opType;
  const std::string x = input(node, 0);
  const auto kernelOfWeight = [&]() -> std::vector<std::int64_t> {
    const OnnxTensor *w = has(node, 1) ? constant(node.inputs[1]) : nullptr;
    if (!w || w->shape.size() < 3)
      return {};
    return {w->shape.begin() + 2, w->shape.end()};
  };
  for (std::size_t i = 1; i < node.outputs.size(); ++i)
    if (!node.outputs[i].empty())
      return refuse(node, "its extra outputs (indices, statistics) are not supported");

  if (op == "Conv") {
    auto w = windowOf(node, kernelOfWeight());
    if (!w)
      return w.error();
    std::string xp = x;
    std::vector<std::int64_t> padding = w->begins();
    if (w->same()) {
      xp = emit("torch.constant_pad_nd(" + x + ", " + w->samePads(x) + ", 0.0)");
      padding = w->zeros();
    } else if (!symmetric(w->pads)) {
      xp = emit("torch.constant_pad_nd(" + x + ", " + intList(torchPads(w->pads)) + ", 0.0)");
      padding = w->zeros();
    }
    bind(node, 0,
         emit("torch.conv" + rankSuffix(w->rank()) + xp + ", " + input(node, 1) + ", " +
              input(node, 2) + ", " + intList(w->strides) + ", " + intList(padding) + ", " +
              intList(w->dilations) + ", " + std::to_string(intAttribute(node, "group", 1)) + ")"));
    return {};
  }
  if (op == "ConvTranspose") {
    auto w = windowOf(node, kernelOfWeight());
    if (!w)
      return w.error();
    const int autoCode = w->autoPad == "SAME_UPPER" ? 1 : w->autoPad == "SAME_LOWER" ? 2 : 0;
    const auto outputPadding =
        intsAttribute(node, "output_padding", std::vector<std::int64_t>(w->rank(), 0));
    const auto outputShape = intsAttribute(node, "output_shape", {});
    if (outputPadding.size() != w->rank() ||
        (!outputShape.empty() && outputShape.size() != w->rank() &&
         outputShape.size() != w->rank() + 2))
      return refuse(node, "its output_padding or output_shape does not fit its kernel");
    bind(node, 0,
         emit("self._conv_transpose(" + x + ", " + input(node, 1) + ", " + input(node, 2) + ", " +
              intList(w->strides) + ", " + intList(w->pads) + ", " + intList(outputPadding) + ", " +
              intList(w->dilations) + ", " + std::to_string(intAttribute(node, "group", 1)) + ", " +
              intList(outputShape) + ", " + std::to_string(autoCode) + ")"));
    return {};
  }
  if (op == "MaxPool" || op == "AveragePool") {
    auto w = windowOf(node, {});
    if (!w)
      return w.error();
    const bool ceil = intAttribute(node, "ceil_mode", 0) != 0;
    const std::string ceilText = ceil ? "True" : "False";
    bool fitsTorch = symmetric(w->pads) && !w->same();
    for (std::size_t i = 0; i < w->rank(); ++i)
      fitsTorch = fitsTorch && w->pads[i] <= w->kernel[i] / 2;
    if (op == "MaxPool") {
      std::string xp = x;
      std::vector<std::int64_t> padding = w->begins();
      if (!fitsTorch) {
        const std::string pads = w->same() ? w->samePads(x) : intList(torchPads(w->pads));
        xp = emit("torch.constant_pad_nd(" + x + ", " + pads + ", float('-inf'))");
        padding = w->zeros();
      }
      bind(node, 0,
           emit("torch.max_pool" + rankSuffix(w->rank()) + xp + ", " + intList(w->kernel) + ", " +
                intList(w->strides) + ", " + intList(padding) + ", " + intList(w->dilations) +
                ", " + ceilText + ")"));
      return {};
    }
    const std::string include = intAttribute(node, "count_include_pad", 0) ? "True" : "False";
    if (fitsTorch)
      bind(node, 0,
           emit("torch.avg_pool" + rankSuffix(w->rank()) + x + ", " + intList(w->kernel) + ", " +
                intList(w->strides) + ", " + intList(w->begins()) + ", " + ceilText + ", " +
                include + ")"));
    else
      bind(node, 0,
           emit("self._avg_pool(" + x + ", " + intList(w->kernel) + ", " + intList(w->strides) +
                ", " + (w->same() ? w->samePads(x) : intList(torchPads(w->pads))) + ", " +
                ceilText + ", " + include + ")"));
    return {};
  }
  if (op == "GlobalAveragePool" || op == "GlobalMaxPool") {
    // Literal dims when the rank is known, so the ee levels can see that only spatial dims
    // are reduced.
    std::string dims = "self._spatial(" + x + ")";
    const int r = rank(node.inputs[0]);
    if (r >= 0 && r < 3)
      return refuse(node, "its input must have spatial dimensions");
    if (r >= 3) {
      std::vector<std::int64_t> spatial;
      for (int d = 2; d < r; ++d)
        spatial.push_back(d);
      dims = intList(spatial);
    }
    bind(node, 0,
         emit(std::string(op == "GlobalAveragePool" ? "torch.mean(" : "torch.amax(") + x + ", " +
              dims + ", True)"));
    return {};
  }
  if (op == "MatMul") {
    bind(node, 0, emit("torch.matmul(" + x + ", " + input(node, 1) + ")"));
    return {};
  }
  if (op == "Gemm") {
    const double alpha = realAttribute(node, "alpha", 1.0);
    const double beta = realAttribute(node, "beta", 1.0);
    const bool transA = intAttribute(node, "transA", 0) != 0;
    const bool transB = intAttribute(node, "transB", 0) != 0;
    const std::string a = transA ? emit(x + ".t()") : x;
    const OnnxTensor *b = constant(node.inputs.at(1));
    const OnnxTensor *c = has(node, 2) ? constant(node.inputs[2]) : nullptr;
    if (b && b->shape.size() == 2 && !b->reals.empty()) {
      // A constant B becomes linear's weight [N, K], alpha folded in.
      const std::int64_t k = b->shape[transB ? 1 : 0], n = b->shape[transB ? 0 : 1];
      OnnxTensor weight;
      weight.shape = {n, k};
      weight.reals.resize(static_cast<std::size_t>(n * k));
      for (std::int64_t row = 0; row < n; ++row)
        for (std::int64_t col = 0; col < k; ++col)
          weight.reals[row * k + col] =
              static_cast<float>(alpha * b->reals[transB ? row * k + col : col * n + row]);
      std::string bias = "None";
      bool biasDone = !has(node, 2);
      if (c && !c->reals.empty() && (c->numel() == n || c->numel() == 1) &&
          (c->shape.size() < 2 || (c->shape.size() == 2 && c->shape[0] == 1))) {
        OnnxTensor folded;
        folded.shape = {n};
        for (std::int64_t i = 0; i < n; ++i)
          folded.reals.push_back(static_cast<float>(beta * c->reals[c->numel() == 1 ? 0 : i]));
        bias = registerTensor(keep(std::move(folded)));
        biasDone = true;
      }
      std::string y = emit("torch.linear(" + a + ", " + registerTensor(keep(std::move(weight))) +
                           ", " + bias + ")");
      if (!biasDone)
        y = emit(y + " + " + realLiteral(beta) + " * " + input(node, 2));
      bind(node, 0, y);
      return {};
    }
    const std::string bt = transB ? emit(input(node, 1) + ".t()") : input(node, 1);
    std::string y = emit(realLiteral(alpha) + " * torch.matmul(" + a + ", " + bt + ")");
    if (has(node, 2))
      y = emit(y + " + " + realLiteral(beta) + " * " + input(node, 2));
    bind(node, 0, y);
    return {};
  }
  if (op == "BatchNormalization") {
    if (intAttribute(node, "training_mode", 0) != 0)
      return refuse(node, "training mode is not supported");
    bind(node, 0,
         emit("torch.batch_norm(" + x + ", " + input(node, 1) + ", " + input(node, 2) + ", " +
              input(node, 3) + ", " + input(node, 4) + ", False, 0.0, " +
              realLiteral(realAttribute(node, "epsilon", 1e-5)) + ", False)"));
    return {};
  }
  if (op == "InstanceNormalization") {
    bind(node, 0,
         emit("torch.instance_norm(" + x + ", " + input(node, 1) + ", " + input(node, 2) +
              ", None, None, True, 0.0, " + realLiteral(realAttribute(node, "epsilon", 1e-5)) +
              ", False)"));
    return {};
  }
  if (op == "LayerNormalization") {
    std::string y =
        emit("self._layer_norm(" + x + ", " + std::to_string(intAttribute(node, "axis", -1)) +
             ", " + realLiteral(realAttribute(node, "epsilon", 1e-5)) + ") * " + input(node, 1));
    if (has(node, 2))
      y = emit(y + " + " + input(node, 2));
    bind(node, 0, y);
    return {};
  }
  if (op == "Softmax" || op == "LogSoftmax") {
    const bool log = op == "LogSoftmax";
    if (opset() >= 13)
      bind(node, 0,
           emit(std::string(log ? "torch.log_softmax(" : "torch.softmax(") + x + ", " +
                std::to_string(intAttribute(node, "axis", -1)) + ")"));
    else
      bind(node, 0,
           emit("self._softmax_2d(" + x + ", " + std::to_string(intAttribute(node, "axis", 1)) +
                ", " + (log ? "True" : "False") + ")"));
    return {};
  }
  if (op == "LRN") {
    const std::int64_t size = intAttribute(node, "size", 0);
    if (size < 1)
      return refuse(node, "its size must be positive");
    bind(node, 0,
         emit("self._lrn(" + x + ", " + std::to_string(size) + ", " +
              realLiteral(realAttribute(node, "alpha", 1e-4)) + ", " +
              realLiteral(realAttribute(node, "beta", 0.75)) + ", " +
              realLiteral(realAttribute(node, "bias", 1.0)) + ")"));
    return {};
  }
  return refuse(node, "the operator is not supported");
}

} // namespace nesa::model::onnx
