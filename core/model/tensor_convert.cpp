#include "model/internal/tensor_convert.h"

#include <ATen/ATen.h>

#include <cstring>

namespace nesa::model {
namespace {

at::ScalarType scalarType(DType dtype) {
  switch (dtype) {
  case DType::F32: return at::kFloat;
  case DType::F64: return at::kDouble;
  case DType::I64: return at::kLong;
  }
  return at::kFloat;
}

// The bytes must be exactly the shape's: checked without overflow, since views and adopted
// buffers skip the allocation that would otherwise refuse a crafted shape.
void checkSize(const TensorData &data) {
  std::uint64_t bytes = dtypeSize(data.dtype);
  for (const auto d : data.shape)
    TORCH_CHECK(d >= 0 && !__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(d), &bytes),
                "tensor data of shape ", data.shapeText(), " is too large");
  TORCH_CHECK(bytes == data.bytes.size(), "tensor data of shape ", data.shapeText(), " has ",
              data.bytes.size(), " bytes");
}

} // namespace

at::Tensor viewOf(const TensorData &data) {
  checkSize(data);
  if (data.bytes.empty())
    return at::empty(data.shape, at::TensorOptions().dtype(scalarType(data.dtype)));
  // from_blob never writes through its pointer unless the caller does.
  auto *bytes = const_cast<std::uint8_t *>(data.bytes.data());
  return at::from_blob(bytes, data.shape, at::TensorOptions().dtype(scalarType(data.dtype)));
}

at::Tensor toTensor(TensorData &&data) {
  checkSize(data);
  if (data.bytes.empty())
    return at::empty(data.shape, at::TensorOptions().dtype(scalarType(data.dtype)));
  auto owner = std::make_shared<std::vector<std::uint8_t>>(std::move(data.bytes));
  return at::from_blob(
      owner->data(), data.shape, [owner](void *) mutable { owner.reset(); },
      at::TensorOptions().dtype(scalarType(data.dtype)));
}

at::Tensor toTensor(const TensorData &data) {
  auto tensor = at::empty(data.shape, at::TensorOptions().dtype(scalarType(data.dtype)));
  TORCH_CHECK(static_cast<std::size_t>(tensor.nbytes()) == data.bytes.size(),
              "tensor data of shape ", data.shapeText(), " has ", data.bytes.size(), " bytes");
  if (!data.bytes.empty())
    std::memcpy(tensor.data_ptr(), data.bytes.data(), data.bytes.size());
  return tensor;
}

TensorData fromTensor(const at::Tensor &tensor) {
  const auto cpu = tensor.contiguous().cpu();
  TensorData data;
  switch (cpu.scalar_type()) {
  case at::kFloat: data.dtype = DType::F32; break;
  case at::kDouble: data.dtype = DType::F64; break;
  case at::kLong: data.dtype = DType::I64; break;
  default: TORCH_CHECK(false, "unsupported tensor dtype ", cpu.scalar_type());
  }
  data.shape.assign(cpu.sizes().begin(), cpu.sizes().end());
  // One pass: resize() would first write zeros over what memcpy then overwrites (a scan's
  // activations are hundreds of MiB).
  const auto *first = static_cast<const std::uint8_t *>(cpu.data_ptr());
  data.bytes.assign(first, first + cpu.nbytes());
  return data;
}

} // namespace nesa::model
