// A language model's config.json (Hugging Face layout) for the two families we run natively.
#pragma once

#include "util/result.h"

#include <filesystem>
#include <optional>
#include <string>

namespace nesa::llm {

/// Which architecture a model folder holds.
enum class Family {
  Gpt2,  ///< LayerNorm, learned positions, GELU MLP, tied LM head
  Llama, ///< RMSNorm, rotary positions, SwiGLU MLP, grouped-query attention
};

/// "gpt2" or "llama".
const char *familyName(Family family);

/// The architecture facts the native implementation needs.
struct ModelConfig {
  Family family = Family::Gpt2;
  std::int64_t vocabSize = 0;
  std::int64_t hidden = 0;
  std::int64_t layers = 0;
  std::int64_t heads = 0;
  std::int64_t kvHeads = 0;      ///< = heads for GPT-2
  std::int64_t intermediate = 0; ///< MLP width (4·hidden for GPT-2 unless n_inner is set)
  std::int64_t maxPositions = 0; ///< the context length
  double normEps = 1e-5;
  double ropeTheta = 10000; ///< Llama only
  bool tiedHead = true;     ///< the LM head reuses the embedding matrix
  std::optional<std::int64_t> eosId;

  std::int64_t headDim() const { return hidden / heads; }

  /// Parses config.json text; errors name the missing or invalid field.
  static Result<ModelConfig> parse(const std::string &json);
  /// Reads and parses a config.json file.
  static Result<ModelConfig> load(const std::filesystem::path &file);
};

} // namespace nesa::llm
