// Reading and writing the safetensors format: an 8-byte little-endian header length, a JSON
// header naming each tensor's dtype, shape and byte range, then the raw data.
#pragma once

#include "util/result.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>

namespace nesa::llm {

/// Every tensor of `file`, converted to float32 (F32, F16, BF16 and F64 are read). Errors:
/// missing file, truncated data, a header that is not JSON or lies about sizes or offsets, an
/// unsupported dtype — each naming the file and the tensor.
Result<std::map<std::string, at::Tensor>> readSafetensors(const std::filesystem::path &file);

/// Writes `tensors` as float32 safetensors (what the test suite's tiny models use).
Result<void> writeSafetensors(const std::filesystem::path &file,
                              const std::map<std::string, at::Tensor> &tensors);

} // namespace nesa::llm
