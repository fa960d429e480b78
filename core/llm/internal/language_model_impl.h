// The libtorch side of a LanguageModel.
#pragma once

#include "llm/internal/transformer.h"
#include "llm/language_model.h"

#include <map>
#include <mutex>

namespace nesa::llm {

struct LanguageModel::Impl {
  TransformerWeights weights;
  Tokenizer tokenizer;
  // Keyed copies by key id, for runs at the ee levels.
  mutable std::mutex mutex;
  mutable std::map<std::string, std::shared_ptr<const Impl>> keyed;
};

} // namespace nesa::llm
