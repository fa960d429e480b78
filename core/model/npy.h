// NumPy .npy files (format 1.0/2.0, little-endian, C order): float32, float64 and int64 arrays.
#pragma once

#include "model/tensor_data.h"
#include "util/result.h"

#include <filesystem>

namespace nesa::model {

/// Reads an .npy file; anything but a little-endian, C-ordered <f4, <f8 or <i8 array is refused
/// with the reason.
Result<TensorData> readNpy(const std::filesystem::path &file);

/// Writes `tensor` as an .npy file (format 1.0).
Result<void> writeNpy(const std::filesystem::path &file, const TensorData &tensor);

} // namespace nesa::model
