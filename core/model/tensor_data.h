// A tensor as plain bytes (dtype, shape, little-endian data): what crosses module and process
// boundaries without dragging libtorch's headers along.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nesa::model {

/// Element types that travel: model inputs/outputs (F32), f64-masked shares (F64) and ring64
/// shares (I64).
enum class DType : std::uint8_t { F32 = 1, F64 = 2, I64 = 3 };

/// Bytes per element of `dtype`.
std::size_t dtypeSize(DType dtype);
/// "f32", "f64" or "i64".
const char *dtypeName(DType dtype);

/// A dense row-major tensor. `bytes.size() == numel() * dtypeSize(dtype)`.
struct TensorData {
  DType dtype = DType::F32;
  std::vector<std::int64_t> shape;
  std::vector<std::uint8_t> bytes;

  /// Number of elements (1 for a scalar with an empty shape).
  std::int64_t numel() const;
  /// A float32 tensor holding `values` with `shape`.
  static TensorData fromFloats(std::vector<std::int64_t> shape, const std::vector<float> &values);
  /// The elements as floats (converting from F64; I64 is not converted and gives an empty vector).
  std::vector<float> toFloats() const;
  /// "[1, 3, 64, 64]"
  std::string shapeText() const;
};

} // namespace nesa::model
