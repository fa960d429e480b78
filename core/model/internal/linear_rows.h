// x·Wᵀ + b as at::linear computes it, faster for the one-row inputs of token-by-token
// generation.
#pragma once

#include <ATen/core/Tensor.h>

namespace nesa::model {

/// at::linear(x, weight, bias) (`bias` may be undefined). When x holds a single row, a
/// matrix-vector product instead: OpenBLAS's one-row matrix product reads the weights about 3×
/// slower than its matrix-vector product (float32 and float64, 2 cores; 8192×2048: 7 ms
/// against 2 ms). Same products, summed in another order.
at::Tensor linearRows(const at::Tensor &x, const at::Tensor &weight, const at::Tensor &bias);

} // namespace nesa::model
