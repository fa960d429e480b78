// ONNX graphs to TorchScript: every operator in supportedOnnxOperators() becomes the libtorch
// call with ONNX's semantics (broadcasting, padding, rounding, opset differences), so that
// compileModel() can then move the constant-weight Conv, ConvTranspose-free linear ops (Conv,
// Gemm, MatMul) to the miners like any TorchScript model's. Anything else is refused by name.
#pragma once

#include "ingest/onnx_model.h"
#include "util/result.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace nesa::model {

/// The default-domain operators the converter handles (at the opsets ingest reads).
const std::set<std::string> &supportedOnnxOperators();

/// The operators of `graph` that the converter does not handle, in first-use order.
std::vector<std::string> unsupportedOnnxOperators(const ingest::OnnxGraph &graph);

/// Writes `graph` to `out` as a TorchScript module with one float32 input and one float32
/// output (integer and bool outputs are converted to float). The graph must have exactly one
/// run-time input, of type float, and one output. Returns the input's shape, with symbolic
/// dimensions set to 1.
Result<std::vector<std::int64_t>> exportOnnxToTorchScript(const ingest::OnnxGraph &graph,
                                                          const std::filesystem::path &out);

} // namespace nesa::model
