// The TorchScript program an ONNX graph becomes, built one node at a time (model/onnx_export.h).
// Shared by onnx_export.cpp (the program and element-wise operators), onnx_export_tensor.cpp
// (reductions, shapes, indexing), onnx_export_nn.cpp (convolution, pooling, normalization,
// Gemm) and onnx_helpers.cpp (the TorchScript helpers).
#pragma once

#include "ingest/onnx_model.h"
#include "util/result.h"

#include <torch/script.h>

#include <deque>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace nesa::model::onnx {

using ingest::OnnxAttribute;
using ingest::OnnxGraph;
using ingest::OnnxNode;
using ingest::OnnxTensor;

/// The TorchScript methods the generated forward() calls (onnx_helpers.cpp); freezing inlines
/// them.
extern const char *const kHelpers;

/// The operators convertNeural() handles, separated by spaces (onnx_export_nn.cpp).
extern const char *const kNeuralOperators;
/// The words of `text`, split at spaces.
std::set<std::string> wordsOf(const char *text);

/// The dtype for an ONNX element type, as its ScalarType number ("4" for int64): the C++
/// script resolver knows no torch.int64. None for types libtorch cannot hold.
std::optional<std::string> torchDtype(std::int64_t onnxType);

/// A Python literal for `v` ("1.5", "float('inf')").
std::string realLiteral(double v);
/// A TorchScript List[int] literal ("[1, 2]"; an empty list is annotated).
std::string intList(const std::vector<std::int64_t> &values);
/// ONNX's pads (every begin, then every end) in the order torch.pad wants (last dim first).
std::vector<std::int64_t> torchPads(const std::vector<std::int64_t> &onnxPads);

/// Builds the program for one graph.
class Program {
public:
  explicit Program(const OnnxGraph &graph) : m_graph(graph), m_module("OnnxImport") {}

  /// Converts every node, checks the program on zeros and saves it to `out`.
  Result<std::vector<std::int64_t>> build(const std::filesystem::path &out);

  // --- What op handlers use ------------------------------------------------------------
  /// "cannot import node N (Op): why"
  static Error refuse(const OnnxNode &node, const std::string &why);
  /// The variable holding input `i` of `node`, or "None" for an omitted optional input.
  std::string input(const OnnxNode &node, std::size_t i);
  /// True when input `i` exists and is not omitted.
  static bool has(const OnnxNode &node, std::size_t i);
  /// The constant behind value `name` (initializer or Constant output), or null.
  const OnnxTensor *constant(const std::string &name) const;
  /// Input `i` as a List[int] expression: a literal when constant, else read at run time.
  std::string listInput(const OnnxNode &node, std::size_t i);
  /// Input `i`'s integers when it is a constant.
  std::optional<std::vector<std::int64_t>> constantInts(const OnnxNode &node, std::size_t i) const;
  /// Emits `var = expression` and returns the new variable.
  std::string emit(const std::string &expression);
  /// Binds output `i` of `node` to `var`.
  void bind(const OnnxNode &node, std::size_t i, const std::string &var);
  /// Registers a constant tensor in the module; returns "self.cN".
  std::string registerTensor(const OnnxTensor &tensor);
  /// Keeps a tensor made while converting (Constant's scalar forms) alive with the program.
  const OnnxTensor &keep(OnnxTensor tensor);

  /// The attribute `name` of `node`, or null.
  static const OnnxAttribute *attribute(const OnnxNode &node, const char *name);
  /// Attribute values, or `fallback` when absent. An attribute of another kind than asked for
  /// (checked by checkAttributes() before conversion) never reaches these.
  static std::int64_t intAttribute(const OnnxNode &node, const char *name, std::int64_t fallback);
  static double realAttribute(const OnnxNode &node, const char *name, double fallback);
  static std::string textAttribute(const OnnxNode &node, const char *name,
                                   const std::string &fallback);
  static std::vector<std::int64_t> intsAttribute(const OnnxNode &node, const char *name,
                                                 std::vector<std::int64_t> fallback);

  /// The graph's default-domain opset.
  std::int64_t opset() const { return m_graph.opset; }
  /// The number of dimensions of value `name` when the graph makes it known, else -1.
  int rank(const std::string &name) const;

  // --- Operator families (each returns an error for a node it cannot convert) -------------
  /// Checks `node`'s required inputs, outputs and attribute kinds, converts it, and checks
  /// that every output it names was produced.
  Result<void> convertNode(const OnnxNode &node);
  Result<void> checkNode(const OnnxNode &node) const;
  Result<void> convertNeural(const OnnxNode &node); ///< onnx_export_nn.cpp
  /// True when convertNeural handles `opType`.
  static bool isNeural(const std::string &opType);

private:
  Result<void> convertElementwise(const OnnxNode &node, bool &handled);
  Result<void> convertTensor(const OnnxNode &node, bool &handled);
  Result<void> convertReduction(const OnnxNode &node, bool &handled);
  Result<void> convertConstant(const OnnxNode &node);
  /// Records the rank of `node`'s outputs where its inputs' ranks determine it.
  void propagateRank(const OnnxNode &node);

  const OnnxGraph &m_graph;
  torch::jit::Module m_module;
  std::ostringstream m_code;
  std::map<std::string, std::string> m_vars;
  std::map<std::string, const OnnxTensor *> m_constants;
  std::map<std::string, std::string> m_registered; // value name -> "self.cN"
  std::map<std::string, int> m_ranks;
  std::deque<OnnxTensor> m_kept;
  int m_tensors = 0, m_counter = 0;
};

} // namespace nesa::model::onnx
