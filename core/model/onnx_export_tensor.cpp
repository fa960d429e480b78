// The reductions and the shape and indexing operators of an ONNX graph.
#include "model/internal/onnx_program.h"

namespace nesa::model::onnx {

Result<void> Program::convertReduction(const OnnxNode &node, bool &handled) {
  const std::string &op = node.opType;
  handled = op.rfind("Reduce", 0) == 0 || op == "ArgMax" || op == "ArgMin";
  if (!handled)
    return {};
  const std::string x = input(node, 0);
  const bool keep = intAttribute(node, "keepdims", 1) != 0;
  const std::string keepText = keep ? "True" : "False";
  if (op == "ArgMax" || op == "ArgMin") {
    const std::int64_t axis = intAttribute(node, "axis", 0);
    const std::string fn = op == "ArgMax" ? "torch.argmax(" : "torch.argmin(";
    const std::string a = std::to_string(axis);
    if (intAttribute(node, "select_last_index", 0) != 0)
      bind(node, 0,
           emit("(" + x + ".size(" + a + ") - 1) - " + fn + x + ".flip([" + a + "]), " + a + ", " +
                keepText + ")"));
    else
      bind(node, 0, emit(fn + x + ", " + a + ", " + keepText + ")"));
    return {};
  }
  // Axes: an input from opset 13 for ReduceSum (18 for the others, past what we read).
  std::string axes;
  bool noAxes = false;
  if (op == "ReduceSum" && opset() >= 13) {
    const auto constantAxes = constantInts(node, 1);
    if (has(node, 1) && !constantAxes && intAttribute(node, "noop_with_empty_axes", 0) != 0)
      return refuse(node, "axes read at run time with noop_with_empty_axes are not supported");
    axes = has(node, 1) ? listInput(node, 1) : intList({});
    noAxes = !has(node, 1) || (constantAxes && constantAxes->empty());
  } else {
    const auto list = intsAttribute(node, "axes", {});
    axes = intList(list);
    noAxes = list.empty();
  }
  if (noAxes && intAttribute(node, "noop_with_empty_axes", 0) != 0) {
    bind(node, 0, emit(x));
    return {};
  }
  const std::string dims = "self._all_axes(" + x + ", " + axes + ")";
  const std::string tail = ", " + dims + ", " + keepText + ")";
  std::string e;
  if (op == "ReduceSum")
    e = "torch.sum(" + x + tail + ".to(" + x + ".dtype)";
  else if (op == "ReduceMean")
    e = "torch.mean(" + x + tail;
  else if (op == "ReduceMax")
    e = "torch.amax(" + x + tail;
  else if (op == "ReduceMin")
    e = "torch.amin(" + x + tail;
  else if (op == "ReduceProd")
    e = "self._prod(" + x + ", " + axes + ", " + keepText + ")";
  else if (op == "ReduceL1")
    e = "torch.sum(torch.abs(" + x + ")" + tail;
  else if (op == "ReduceL2")
    e = "torch.sqrt(torch.sum(" + x + " * " + x + tail + ")";
  else if (op == "ReduceSumSquare")
    e = "torch.sum(" + x + " * " + x + tail;
  else if (op == "ReduceLogSum")
    e = "torch.log(torch.sum(" + x + tail + ")";
  else if (op == "ReduceLogSumExp")
    e = "torch.logsumexp(" + x + tail;
  else
    return refuse(node, "the operator is not supported");
  bind(node, 0, emit(e));
  return {};
}

Result<void> Program::convertTensor(const OnnxNode &node, bool &handled) {
  handled = true;
  const std::string &op = node.opType;
  const std::string x = has(node, 0) ? input(node, 0) : "";
  if (op == "Reshape") {
    const std::string shape =
        opset() >= 5 ? listInput(node, 1) : intList(intsAttribute(node, "shape", {}));
    bind(node, 0,
         emit("self._reshape(" + x + ", " + shape + ", " +
              std::to_string(intAttribute(node, "allowzero", 0)) + ")"));
  } else if (op == "Flatten") {
    const std::int64_t axis = intAttribute(node, "axis", 1);
    if (axis == 1 && rank(node.inputs[0]) >= 2) // the form the ee levels recognise
      bind(node, 0, emit("torch.flatten(" + x + ", 1, -1)"));
    else
      bind(node, 0, emit("self._flatten(" + x + ", " + std::to_string(axis) + ")"));
  } else if (op == "Transpose") {
    const auto perm = intsAttribute(node, "perm", {});
    bind(
        node, 0,
        emit(x + ".permute(" + (perm.empty() ? "self._reversed(" + x + ")" : intList(perm)) + ")"));
  } else if (op == "Squeeze" || op == "Unsqueeze") {
    const std::string axes = opset() >= 13 ? (has(node, 1) ? listInput(node, 1) : intList({}))
                                           : intList(intsAttribute(node, "axes", {}));
    bind(node, 0,
         emit("self._" + std::string(op == "Squeeze" ? "squeeze(" : "unsqueeze(") + x + ", " +
              axes + ")"));
  } else if (op == "Concat") {
    std::string list;
    for (std::size_t i = 0; i < node.inputs.size(); ++i)
      list += (i ? ", " : "") + input(node, i);
    bind(node, 0,
         emit("torch.cat([" + list + "], " + std::to_string(intAttribute(node, "axis", 0)) + ")"));
  } else if (op == "Split") {
    const std::string axis = std::to_string(intAttribute(node, "axis", 0));
    std::string sizes;
    if (opset() >= 13 && has(node, 1))
      sizes = listInput(node, 1);
    else if (opset() < 13 && attribute(node, "split"))
      sizes = intList(intsAttribute(node, "split", {}));
    const std::string parts = sizes.empty()
                                  ? emit("torch.tensor_split(" + x + ", " +
                                         std::to_string(node.outputs.size()) + ", " + axis + ")")
                                  : emit("torch.split(" + x + ", " + sizes + ", " + axis + ")");
    for (std::size_t i = 0; i < node.outputs.size(); ++i)
      bind(node, i, emit(parts + "[" + std::to_string(i) + "]"));
  } else if (op == "Slice") {
    std::string starts, ends, axes, steps;
    if (opset() >= 10) {
      starts = listInput(node, 1);
      ends = listInput(node, 2);
      axes = has(node, 3) ? listInput(node, 3) : "";
      steps = has(node, 4) ? listInput(node, 4) : "";
    } else {
      starts = intList(intsAttribute(node, "starts", {}));
      ends = intList(intsAttribute(node, "ends", {}));
      if (attribute(node, "axes"))
        axes = intList(intsAttribute(node, "axes", {}));
    }
    // Default axes are 0..n-1 and default steps 1, for n starts.
    const std::string n = "len(" + starts + ")";
    if (axes.empty())
      axes = "self._iota(" + n + ")";
    if (steps.empty())
      steps = "self._ones(" + n + ")";
    bind(node, 0,
         emit("self._slice(" + x + ", " + starts + ", " + ends + ", " + axes + ", " + steps + ")"));
  } else if (op == "Gather") {
    bind(node, 0,
         emit("self._gather(" + x + ", " + input(node, 1) + ", " +
              std::to_string(intAttribute(node, "axis", 0)) + ")"));
  } else if (op == "GatherElements") {
    const std::string axis = std::to_string(intAttribute(node, "axis", 0));
    const std::string idx = input(node, 1);
    bind(node, 0,
         emit("torch.gather(" + x + ", " + axis + ", torch.where(" + idx + " < 0, " + idx + " + " +
              x + ".size(" + axis + "), " + idx + ").to(4))"));
  } else if (op == "Shape") {
    const std::int64_t start = intAttribute(node, "start", 0);
    const auto *end = attribute(node, "end");
    bind(node, 0,
         emit("torch.tensor(" + x + ".shape[" + std::to_string(start) + ":" +
              (end ? std::to_string(end->i) : "") + "], dtype=4)"));
  } else if (op == "Size") {
    bind(node, 0, emit("torch.tensor(" + x + ".numel(), dtype=4)"));
  } else if (op == "Expand") {
    bind(node, 0, emit("self._expand(" + x + ", " + listInput(node, 1) + ")"));
  } else if (op == "Tile") {
    bind(node, 0, emit(x + ".repeat(" + listInput(node, 1) + ")"));
  } else if (op == "ConstantOfShape") {
    std::string value = "0.0", dtype = "6";
    if (const auto *a = attribute(node, "value")) {
      if (a->t.numel() != 1)
        return refuse(node, "its value must hold one element");
      const auto t = torchDtype(int(a->t.type));
      if (!t)
        return refuse(node, "its value's type is not supported");
      dtype = *t;
      value = a->t.isReal() ? realLiteral(a->t.at(0)) : std::to_string(a->t.integers.at(0));
    }
    bind(node, 0,
         emit("torch.full(" + listInput(node, 0) + ", " + value + ", dtype=" + dtype + ")"));
  } else if (op == "Range") {
    bind(node, 0, emit("self._range(" + x + ", " + input(node, 1) + ", " + input(node, 2) + ")"));
  } else if (op == "Einsum") {
    std::string list;
    for (std::size_t i = 0; i < node.inputs.size(); ++i)
      list += (i ? ", " : "") + input(node, i);
    const std::string equation = textAttribute(node, "equation", "");
    if (equation.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ,.-> ") !=
        std::string::npos)
      return refuse(node, "its equation has characters an einsum equation cannot have");
    bind(node, 0, emit("torch.einsum('" + equation + "', [" + list + "])"));
  } else if (op == "CumSum") {
    const std::string axis = "int(" + input(node, 1) + ")";
    std::string y = x;
    const bool reverse = intAttribute(node, "reverse", 0) != 0;
    if (reverse)
      y = emit(y + ".flip([" + axis + "])");
    std::string sum = emit("torch.cumsum(" + y + ", " + axis + ").to(" + x + ".dtype)");
    if (intAttribute(node, "exclusive", 0) != 0)
      sum = emit(sum + " - " + y);
    if (reverse)
      sum = emit(sum + ".flip([" + axis + "])");
    bind(node, 0, sum);
  } else if (op == "Pad") {
    std::string pads, value = "0.0";
    if (opset() >= 11) {
      const auto constantPads = constantInts(node, 1);
      if (!constantPads)
        return refuse(node, "only constant pads are supported");
      if (constantPads->size() % 2 != 0 ||
          (rank(node.inputs[0]) >= 0 && constantPads->size() != 2u * rank(node.inputs[0])))
        return refuse(node, "its pads do not fit its input");
      pads = intList(torchPads(*constantPads));
      if (has(node, 2))
        value = "float(" + input(node, 2) + ".item())";
    } else {
      const auto attributePads = intsAttribute(node, "pads", {});
      if (attributePads.size() % 2 != 0)
        return refuse(node, "its pads do not fit its input");
      pads = intList(torchPads(attributePads));
      value = realLiteral(realAttribute(node, "value", 0.0));
    }
    const std::string mode = textAttribute(node, "mode", "constant");
    if (mode == "constant")
      bind(node, 0, emit("torch.constant_pad_nd(" + x + ", " + pads + ", " + value + ")"));
    else if (mode == "reflect" || mode == "edge")
      bind(node, 0,
           emit("torch.pad(" + x + ", self._trailing_pads(" + x + ", " + pads + "), '" +
                (mode == "edge" ? "replicate" : "reflect") + "')"));
    else
      return refuse(node, "the padding mode \"" + mode + "\" is not supported");
  } else {
    handled = false;
  }
  return {};
}

} // namespace nesa::model::onnx
