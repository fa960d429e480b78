// Tiny language-model folders with random weights, written by the test suite itself in the
// Hugging Face layout (config.json, model.safetensors, tokenizer.json).
#pragma once

#include "llm/model_config.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace nesa::testing {

/// GPT-2 style: byte-level BPE (256 bytes, a few merges, <|endoftext|>), 2 layers, 4 heads,
/// hidden 32, context 64, vocabulary 320.
void writeTinyGpt2(const std::filesystem::path &folder, std::uint64_t seed = 7);

/// Random weights (std 0.2, gains near 1) for a GPT-2 of `config`'s shapes, with Hugging Face
/// names; seed libtorch's generator first for reproducible tensors.
std::map<std::string, at::Tensor> randomGpt2Tensors(const llm::ModelConfig &config);

/// Llama style: metaspace BPE with byte fallback (<unk>, <s>, </s>), 2 layers, 4 query heads
/// over 2 key/value heads, hidden 32, SwiGLU 64, context 64, vocabulary 320, untied head.
void writeTinyLlama(const std::filesystem::path &folder, std::uint64_t seed = 8);

} // namespace nesa::testing
