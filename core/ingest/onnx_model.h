// ONNX models (.onnx, a protobuf ModelProto), read and checked without building anything: the
// graph as a list of nodes in execution order, its constant tensors (initializers) and the
// inputs and outputs fed at run time. core/model turns the result into TorchScript
// (model/onnx_export.h). Parsing uses Debian's compiled ONNX schema (libonnx-dev).
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace nesa::ingest {

/// Element types an ONNX tensor can hold that we read (the schema's TensorProto.DataType).
enum class OnnxType : int {
  Float = 1,
  UInt8 = 2,
  Int8 = 3,
  UInt16 = 4,
  Int16 = 5,
  Int32 = 6,
  Int64 = 7,
  Bool = 9,
  Float16 = 10,
  Double = 11,
  UInt32 = 12,
  UInt64 = 13,
  BFloat16 = 16,
};

/// "float", "int64", ... for messages; "type N" for a number we do not know.
std::string onnxTypeName(int type);

/// A constant tensor, its values widened: float types in `reals` (float16 and bfloat16
/// converted exactly; doubles kept in `doubles`), integer and bool types in `integers`.
struct OnnxTensor {
  OnnxType type = OnnxType::Float;
  std::vector<std::int64_t> shape;    ///< empty for a scalar
  std::vector<float> reals;           ///< Float, Float16, BFloat16
  std::vector<double> doubles;        ///< Double
  std::vector<std::int64_t> integers; ///< every integer type and Bool

  /// Number of elements (1 for a scalar).
  std::int64_t numel() const;
  /// True for Float, Float16, BFloat16 and Double.
  bool isReal() const;
  /// Element `i` as a double, whatever the type.
  double at(std::size_t i) const;
};

/// One attribute of a node. Graph attributes (If, Loop, Scan) are refused while parsing.
struct OnnxAttribute {
  enum class Kind { Float, Int, String, Tensor, Floats, Ints, Strings };
  Kind kind = Kind::Int;
  float f = 0;
  std::int64_t i = 0;
  std::string s;
  OnnxTensor t;
  std::vector<float> floats;
  std::vector<std::int64_t> ints;
  std::vector<std::string> strings;
};

/// One operator application.
struct OnnxNode {
  std::string name;                 ///< may be empty in the file; filled with "#<index>" then
  std::string opType;               ///< "Conv", "MatMul", ...
  std::vector<std::string> inputs;  ///< value names; "" for an omitted optional input
  std::vector<std::string> outputs; ///< value names; "" for an unused optional output
  std::map<std::string, OnnxAttribute> attributes;
};

/// A value fed to or read from the graph at run time.
struct OnnxValue {
  std::string name;
  int type = 0;                    ///< element type (OnnxType), 0 when the file does not say
  std::vector<std::int64_t> shape; ///< -1 for a dimension the file leaves symbolic
  bool hasShape = false;           ///< false when the file gives no shape (empty: a scalar)
};

/// A whole model: nodes in an order where every value is written before it is read.
struct OnnxGraph {
  std::int64_t opset = 0; ///< the default domain's operator set version
  std::string producer;   ///< e.g. "pytorch 2.1.0"
  std::vector<OnnxNode> nodes;
  std::map<std::string, OnnxTensor> initializers; ///< constant tensors, by value name
  std::vector<OnnxValue> inputs;                  ///< run-time inputs (initializers excluded)
  std::vector<OnnxValue> outputs;
};

/// The oldest and newest default-domain opsets read (the newest Debian's schema describes).
inline constexpr std::int64_t kOnnxOldestOpset = 6;
inline constexpr std::int64_t kOnnxNewestOpset = 17;

/// Parses a serialized ModelProto. Errors say what is wrong: not an ONNX model, an opset outside
/// the range above, operators from another domain, subgraphs, tensors stored outside the file,
/// absurd shapes (over 2^29 values in a tensor or in all), lists over 65536 elements, data shorter
/// or longer than the shape, values read before they are written (an out-of-order or cyclic graph).
Result<OnnxGraph> parseOnnxModel(const std::string &bytes);

/// Reads and parses an .onnx file.
Result<OnnxGraph> readOnnxModel(const std::filesystem::path &file);

/// Parses a serialized TensorProto (the input_N.pb / output_N.pb files of ONNX's test data).
Result<OnnxTensor> parseOnnxTensor(const std::string &bytes);

/// Reads and parses a TensorProto file.
Result<OnnxTensor> readOnnxTensor(const std::filesystem::path &file);

} // namespace nesa::ingest
