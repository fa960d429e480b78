// libFuzzer target: ONNX files. Every input is parsed both as a model (ModelProto: graph order,
// tensors, attributes) and as a lone tensor (TensorProto, the test data's format).
#include "ingest/onnx_model.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char *>(data), size);
  (void)nesa::ingest::parseOnnxModel(bytes);
  (void)nesa::ingest::parseOnnxTensor(bytes);
  return 0;
}
