// libFuzzer target: TF.js layers models. The input is model.json, a NUL byte, then the weight
// shard's bytes.
#include "ingest/tfjs_model.h"

#include <algorithm>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const auto *end = data + size;
  const auto *split = std::find(data, end, std::uint8_t{0});
  const std::string json(reinterpret_cast<const char *>(data),
                         static_cast<std::size_t>(split - data));
  const std::string shard = split == end ? std::string()
                                         : std::string(reinterpret_cast<const char *>(split + 1),
                                                       reinterpret_cast<const char *>(end));
  (void)nesa::ingest::parseTfjsModel(json, {shard});
  return 0;
}
