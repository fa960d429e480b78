// Conversions between TensorData (plain bytes) and ATen tensors.
#pragma once

#include "model/tensor_data.h"

#include <ATen/core/Tensor.h>

namespace nesa::model {

/// A CPU tensor owning a copy of `data`.
at::Tensor toTensor(const TensorData &data);

/// A CPU tensor that takes `data`'s bytes over, without copying them.
at::Tensor toTensor(TensorData &&data);

/// A CPU tensor over `data`'s own bytes, without copying them: valid while `data` lives and is
/// not changed; never write to it.
at::Tensor viewOf(const TensorData &data);

/// The bytes of `tensor` (made contiguous, on the CPU); its dtype must be f32, f64 or i64.
TensorData fromTensor(const at::Tensor &tensor);

} // namespace nesa::model
