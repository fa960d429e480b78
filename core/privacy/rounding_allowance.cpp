#include "privacy/rounding_allowance.h"

#include <cmath>
#include <cstring>

namespace nesa::privacy {

namespace {
double elementAt(const model::TensorData &t, std::size_t i) {
  double value = 0;
  std::memcpy(&value, t.bytes.data() + 8 * i, 8);
  return value;
}
} // namespace

bool allFinite(const model::TensorData &tensor) {
  if (tensor.dtype != model::DType::F64)
    return true;
  for (std::size_t i = 0; i < tensor.bytes.size() / 8; ++i)
    if (!std::isfinite(elementAt(tensor, i)))
      return false;
  return true;
}

bool beyondRoundingAllowance(const model::TensorData &mine, const model::TensorData &theirs,
                             const RoundingScale &scale) {
  const auto f64 = model::DType::F64;
  if (mine.dtype != f64 || theirs.dtype != f64 || scale.magnitudes.dtype != f64 ||
      mine.shape != theirs.shape || mine.bytes.size() != theirs.bytes.size() ||
      scale.magnitudes.bytes.size() != mine.bytes.size())
    return true;
  for (std::size_t i = 0; i < mine.bytes.size() / 8; ++i) {
    const double a = elementAt(mine, i), b = elementAt(theirs, i);
    if (!std::isfinite(b))
      return true;
    // The smallest normal number on top: below it rounding is absolute, not relative.
    const double allowed = 2 * scale.gamma * elementAt(scale.magnitudes, i) + 0x1p-1022;
    if (!(std::abs(a - b) <= allowed))
      return true;
  }
  return false;
}

} // namespace nesa::privacy
