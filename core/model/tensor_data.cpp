#include "model/tensor_data.h"

#include <cstring>

namespace nesa::model {

std::size_t dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F32: return 4;
  case DType::F64: return 8;
  case DType::I64: return 8;
  }
  return 0;
}

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32: return "f32";
  case DType::F64: return "f64";
  case DType::I64: return "i64";
  }
  return "?";
}

std::int64_t TensorData::numel() const {
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

TensorData TensorData::fromFloats(std::vector<std::int64_t> shape,
                                  const std::vector<float> &values) {
  TensorData t{DType::F32, std::move(shape), {}};
  t.bytes.resize(values.size() * sizeof(float));
  std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

std::vector<float> TensorData::toFloats() const {
  std::vector<float> out;
  if (dtype == DType::F32) {
    out.resize(bytes.size() / 4);
    std::memcpy(out.data(), bytes.data(), out.size() * 4);
  } else if (dtype == DType::F64) {
    std::vector<double> wide(bytes.size() / 8);
    std::memcpy(wide.data(), bytes.data(), wide.size() * 8);
    out.assign(wide.begin(), wide.end());
  }
  return out;
}

std::string TensorData::shapeText() const {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

} // namespace nesa::model
