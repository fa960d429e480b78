// A document task (summarize or classify) with the user's own language-model folder (no model
// weights ship with Nesa).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analysis/miner_pool.h"
#include "llm/language_model.h"
#include "privacy/engine.h"

namespace nesa::analysis {

/// A document task read and ready to run: nothing is started or paid yet.
struct DocumentTask {
  std::string task;                ///< "summarize" or "classify"
  std::vector<std::string> labels; ///< classify's labels
  std::string text;                ///< the document's text
  /// As loaded (keyed for the miners at the ee levels); shared with the analyzer's cache, so
  /// the next document on the same model does not load it again.
  std::shared_ptr<const llm::LanguageModel> model;
  std::int64_t perPass = 0; ///< linear ops a forward pass sends
  std::int64_t passes = 0;  ///< forward passes the task takes
  /// Share jobs the run takes at `options`' level, for the cost estimate.
  std::int64_t jobs(const privacy::RunOptions &options) const {
    return perPass * passes * options.sharesPerCall();
  }
};

/// Loads the language model in `folder`; `onNotice` hears that it is being loaded.
Result<std::shared_ptr<const llm::LanguageModel>>
loadLanguageModel(const std::filesystem::path &folder,
                  const std::function<void(const std::string &)> &onNotice);

/// Reads `document` for `model` and counts the forward passes `task` ("summarize", or
/// "classify" with `labels`) takes.
Result<DocumentTask> prepareDocumentTask(const std::filesystem::path &document,
                                         std::shared_ptr<const llm::LanguageModel> model,
                                         const std::string &task,
                                         const std::vector<std::string> &labels);

/// What a document task gave.
struct DocumentOutcome {
  /// For people: "summary (N parts):" and the summary, or one "label: probability" a label.
  std::vector<std::string> lines;
  std::string text;          ///< the summary (summarize)
  privacy::RunReport report; ///< settle() it with the pool
};

/// Runs `task` on `pool`'s miners (opened for `served`'s bundle and the task's jobs); `served` is
/// task.model, keyed with options' key at the ee levels.
Result<DocumentOutcome>
runDocumentTask(const MinerPool &pool, const DocumentTask &task, const llm::LanguageModel &served,
                const privacy::RunOptions &options,
                const std::function<void(int, int, const std::string &)> &onPart);

} // namespace nesa::analysis
