// A language model loaded from a Hugging Face folder (config.json, *.safetensors,
// tokenizer.json) or a GGUF file, and run natively at any privacy level: its linear layers form
// a bundle that miners compute on, exactly like a compiled TorchScript model's.
#pragma once

#include "llm/model_config.h"
#include "llm/tokenizer.h"
#include "model/linear_bundle.h"
#include "model/tensor_data.h"
#include "privacy/engine.h"

#include <filesystem>
#include <functional>
#include <memory>

namespace nesa::llm {

/// Where and how to run: `engine` (with its miners) for every level but local.
struct RunSetup {
  privacy::Engine *engine = nullptr;
  privacy::RunOptions options; ///< level, arithmetic, shares, key (ee levels)
};

/// How to pick each next token.
struct Sampling {
  double temperature = 0; ///< 0: greedy (the most likely token)
  int topK = 0;           ///< sample among the k most likely (0: all)
  std::uint64_t seed = 1; ///< the sampler's seed (identical runs draw identical tokens)
};

/// One generation request.
struct GenerationOptions {
  int maxNewTokens = 32;
  Sampling sampling;
  bool stopAtEos = true;
  std::function<void(int done, int total)> onToken; ///< progress after each new token
};

/// What generate() produced.
struct Generation {
  std::vector<std::int64_t> tokens; ///< the new tokens only
  std::string text;                 ///< their decoded text
  privacy::RunReport report;        ///< every remote call of every step (empty at local)
};

/// Logits and the report of the run that made them.
struct LogitsResult {
  model::TensorData logits; ///< f32 [tokens, vocab], in the original vocabulary order
  privacy::RunReport report;
};

/// A loaded model. Cheap to copy (shared, immutable).
class LanguageModel {
public:
  /// Loads a model folder, a GGUF file (llama or gpt2), or a folder holding one GGUF file and
  /// no config.json. Errors: a missing or malformed config.json, a truncated or inconsistent
  /// safetensors or GGUF file, a tensor missing or of the wrong shape, a tokenizer with unknown
  /// pieces or a vocabulary larger than the model's, a GGUF variant we do not run.
  static Result<LanguageModel> load(const std::filesystem::path &folder);

  const ModelConfig &config() const;
  const Tokenizer &tokenizer() const;
  /// The linear ops miners compute (the keyed ones for a keyed model).
  const model::LinearBundle &bundle() const;
  const std::string &bundleId() const;

  /// The model keyed with `key` (deterministic): what an ee or hss-ee run sends to miners.
  LanguageModel keyed(const privacy::EeKey &key) const;
  /// True for a keyed model: it takes and returns ids through its vocabulary permutation.
  bool isKeyed() const;

  /// Logits for `ids` (one forward pass) at setup.options.level.
  Result<LogitsResult> logits(const std::vector<std::int64_t> &ids, const RunSetup &setup) const;
  /// Generates after `prompt` with a KV cache, at setup.options.level.
  Result<Generation> generate(const std::vector<std::int64_t> &prompt,
                              const GenerationOptions &options, const RunSetup &setup) const;

  struct Impl; ///< libtorch-side state
  explicit LanguageModel(std::shared_ptr<const Impl> impl) : m_impl(std::move(impl)) {}
  const Impl &impl() const { return *m_impl; }

private:
  static Result<LanguageModel> loadChecked(const std::filesystem::path &folder);
  std::shared_ptr<const Impl> m_impl;
};

} // namespace nesa::llm
