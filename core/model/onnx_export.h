// ONNX graphs to TorchScript: every operator in supportedOnnxOperators() becomes the libtorch
// call with ONNX's semantics (broadcasting, padding, rounding, opset differences), so that
// compileModel() then moves the constant-weight linear ops (Conv, Gemm, MatMul) to the miners
// as it does any TorchScript model's. Anything else is refused by name.
#pragma once

#include "ingest/onnx_model.h"
#include "model/compiled_model.h"
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

/// Reads an .onnx file, converts it in a private scratch folder and compiles the result
/// (compileModel() calls this for files named *.onnx).
Result<CompiledModel> compileOnnxModel(const std::filesystem::path &file,
                                       const CompileOptions &options = {});

} // namespace nesa::model
