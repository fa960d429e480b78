// The tensor types of GGUF files (ggml's type numbers) and their dequantization to float32.
#pragma once

#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace nesa::ingest::gguf {

/// ggml's name of type number `type` ("Q4_K"), or "type N" for a number ggml does not define.
std::string typeName(std::uint32_t type);

/// How a type stores its values: `blockValues` values in `blockBytes` bytes.
struct TypeLayout {
  std::uint32_t blockValues = 0;
  std::uint32_t blockBytes = 0;
};

/// The layout of a type we can read: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q5_K and Q6_K. Any other
/// type is an error naming it.
Result<TypeLayout> readableLayout(std::uint32_t type);

/// Dequantizes `count` values (a multiple of the type's block) of a readable type from `source`
/// (`count / blockValues * blockBytes` bytes) into `out`, exactly as ggml does.
void dequantize(std::uint32_t type, const std::uint8_t *source, std::size_t count, float *out);

/// IEEE half precision to float (subnormals, infinities and NaN included).
float halfToFloat(std::uint16_t half);

} // namespace nesa::ingest::gguf
