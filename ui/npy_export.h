// Writing a model's output as a NumPy file, for people who take the result further.
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// Writes `values` (float32, C order) with `shape` to `file` as .npy (format 1.0); false when
/// the file cannot be written or the values do not fill the shape.
bool writeFloatNpy(const QString &file, const std::vector<std::int64_t> &shape,
                   const std::vector<float> &values);

} // namespace nesa::ui
