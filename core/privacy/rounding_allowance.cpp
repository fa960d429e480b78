#include "privacy/rounding_allowance.h"

#include <cmath>
#include <cstring>

namespace nesa::privacy {

namespace {
bool isFloat(model::DType dtype) {
  return dtype == model::DType::F64 || dtype == model::DType::F32;
}

std::size_t elementCount(const model::TensorData &t) {
  return t.bytes.size() / (t.dtype == model::DType::F32 ? 4 : 8);
}

// Element i of a float64 or float32 tensor, as a double.
double elementAt(const model::TensorData &t, std::size_t i) {
  if (t.dtype == model::DType::F32) {
    float value = 0;
    std::memcpy(&value, t.bytes.data() + 4 * i, 4);
    return value;
  }
  double value = 0;
  std::memcpy(&value, t.bytes.data() + 8 * i, 8);
  return value;
}
} // namespace

bool allFinite(const model::TensorData &tensor) {
  if (!isFloat(tensor.dtype))
    return true;
  for (std::size_t i = 0; i < elementCount(tensor); ++i)
    if (!std::isfinite(elementAt(tensor, i)))
      return false;
  return true;
}

bool beyondRoundingAllowance(const model::TensorData &mine, const model::TensorData &theirs,
                             const RoundingScale &scale) {
  if (!isFloat(mine.dtype) || theirs.dtype != mine.dtype ||
      scale.magnitudes.dtype != model::DType::F64 || mine.shape != theirs.shape ||
      mine.bytes.size() != theirs.bytes.size() ||
      elementCount(scale.magnitudes) != elementCount(mine))
    return true;
  // The smallest normal number of the answer's type on top: below it rounding is absolute.
  const double tiny = mine.dtype == model::DType::F32 ? 0x1p-126 : 0x1p-1022;
  for (std::size_t i = 0; i < elementCount(mine); ++i) {
    const double a = elementAt(mine, i), b = elementAt(theirs, i);
    if (!std::isfinite(b))
      return true;
    const double allowed = 2 * scale.gamma * elementAt(scale.magnitudes, i) + tiny;
    if (!(std::abs(a - b) <= allowed))
      return true;
  }
  return false;
}

} // namespace nesa::privacy
