// nesa analyze DOCUMENT --model FOLDER --task summarize|classify: a document task with the
// user's own language-model folder (no model weights ship with Nesa).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "cli/arguments.h"
#include "llm/language_model.h"
#include "miner_pool.h"
#include "privacy/engine.h"

namespace nesa::app {

/// A document task read and ready to run: nothing is started or paid yet.
struct DocumentTask {
  std::string task;                ///< "summarize" or "classify"
  std::vector<std::string> labels; ///< classify's labels
  std::string text;                ///< the document's text
  llm::LanguageModel served;       ///< what the miners compute with (keyed at the ee levels)
  std::int64_t jobs = 0;           ///< share jobs the run takes, for the cost estimate
};

/// Reads the document `args.positional[0]` and the model folder, and counts the share jobs the
/// task the arguments ask for takes at `options.level` (keyed with the key it carries at the ee
/// levels).
Result<DocumentTask> prepareDocumentTask(const cli::Arguments &args,
                                         const std::filesystem::path &folder,
                                         const privacy::RunOptions &options);

/// What a document task gave.
struct DocumentOutcome {
  /// For people: "summary (N parts):" and the summary, or one "label: probability" a label.
  std::vector<std::string> lines;
  privacy::RunReport report; ///< settle() it with the pool
};

/// Runs `task` on `pool`'s miners (opened for `task.served`'s bundle and `task.jobs`).
Result<DocumentOutcome> runDocumentTask(const MinerPool &pool, const DocumentTask &task,
                                        const privacy::RunOptions &options);

} // namespace nesa::app
