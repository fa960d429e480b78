#include "model/internal/linear_rows.h"

#include <ATen/ATen.h>

namespace nesa::model {

at::Tensor linearRows(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias) {
  if (x.dim() >= 1 && x.numel() == x.size(-1) && x.numel() > 0 && weight.dim() == 2 &&
      x.scalar_type() == weight.scalar_type()) {
    auto y = at::mv(weight, x.reshape({x.numel()}));
    if (bias.defined())
      y.add_(bias);
    auto shape = x.sizes().vec();
    shape.back() = weight.size(0);
    return y.view(shape);
  }
  return at::linear(x, weight, bias.defined() ? c10::optional<at::Tensor>(bias) : c10::nullopt);
}

} // namespace nesa::model
