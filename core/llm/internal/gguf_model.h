// A GGUF language model (llama.cpp's format) as the native forward pass takes it: its config,
// its tensors under Hugging Face names in float32, and its tokenizer.
#pragma once

#include "llm/internal/q8_rows.h"
#include "llm/model_config.h"
#include "llm/tokenizer.h"

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <map>
#include <string>

namespace nesa::llm {

/// What a GGUF file holds, ready for buildWeights().
struct GgufModel {
  ModelConfig config;
  std::map<std::string, at::Tensor> tensors; ///< Hugging Face names, dequantized to float32
  /// The Q8_0 matrices as stored (rows of the bundle's [out, in] layout), for local generation.
  std::map<std::string, Q8Rows> q8;
  Tokenizer tokenizer;
};

/// Reads a GGUF file of the llama or gpt2 architecture. Llama's query and key rows are put
/// back in Hugging Face's rotary layout (GGUF interleaves each head's halves). Errors name what
/// is missing, unsupported (another architecture, rope scaling, a pre-tokenizer other than
/// GPT-2's, an unreadable tensor type) or malformed.
Result<GgufModel> readGgufModel(const std::filesystem::path &file);

} // namespace nesa::llm
