// Document tasks on top of a language model: summarize and classify a document's text, chunked
// to the model's context. The model is the user's own folder: no weights ship with Nesa.
#pragma once

#include "llm/language_model.h"

#include <string>
#include <vector>

namespace nesa::llm {

/// A summary and how it was made.
struct Summary {
  std::string text;          ///< the chunk summaries, in document order
  int chunks = 0;            ///< pieces the document was cut into to fit the context
  privacy::RunReport report; ///< every chunk's remote calls
};

/// Summarizes `text`: the document is cut into chunks that leave room for the prompt and
/// `maxTokensPerChunk` new tokens; each chunk is summarized greedily ("…\nTL;DR:").
/// `onChunk(done, total, piece)` reports each chunk as it is summarized: `piece` is what it
/// added to the summary (the pieces, in order, make up `Summary::text`).
Result<Summary> summarize(const LanguageModel &model, const std::string &text,
                          const RunSetup &setup, int maxTokensPerChunk = 48,
                          const std::function<void(int, int, const std::string &)> &onChunk = {});

/// One label's score.
struct LabelScore {
  std::string label;
  double probability = 0; ///< softmax over the labels of their mean log-likelihoods
};

/// A classification and how it was made.
struct Classification {
  std::vector<LabelScore> scores; ///< best first
  privacy::RunReport report;      ///< the remote calls of every label's scoring pass
};

/// Classifies `text` among `labels` by how likely the model finds "…\nCategory: LABEL" for each,
/// on as much of the document's start as fits the context.
Result<Classification> classify(const LanguageModel &model, const std::string &text,
                                const std::vector<std::string> &labels, const RunSetup &setup);

} // namespace nesa::llm
