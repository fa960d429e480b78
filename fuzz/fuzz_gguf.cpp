// libFuzzer target: GGUF files (llama.cpp's models). The input is the whole file: its header,
// metadata and tensor table are parsed, every tensor small enough is dequantized, and the
// tokenizer its metadata describes is built and run on a fixed text.
#include "ingest/gguf_file.h"
#include "llm/gguf_vocabulary.h"

#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  auto file = nesa::ingest::gguf::File::parse({data, size});
  if (!file)
    return 0;
  std::vector<float> values;
  for (const auto &tensor : file->tensors())
    if (tensor.elements() <= (1 << 20)) {
      values.resize(static_cast<std::size_t>(tensor.elements()));
      file->dequantize(tensor, values.data());
    }
  if (auto tokenizer = nesa::llm::tokenizerFromGguf(*file)) {
    auto ids = tokenizer->encode("the patient's scan, caf\xC3\xA9 42!  ");
    if (ids)
      (void)tokenizer->decode(*ids);
  }
  return 0;
}
