// nesa analyze DOCUMENT --model FOLDER --task summarize|classify: a document task with the
// user's own language-model folder (no model weights ship with Nesa).
#pragma once

#include <filesystem>

#include "cli/arguments.h"
#include "privacy/engine.h"

namespace nesa::app {

/// Runs the task the arguments ask for on the document `args.positional[0]` with the model
/// folder `--model`, at `options.level` (with the key it carries at the ee levels), on the
/// miners the arguments name (see openMinerPool). Prints the result, the report and what was
/// paid.
Result<void> runDocumentTask(const cli::Arguments &args, const std::filesystem::path &folder,
                             const privacy::RunOptions &options);

} // namespace nesa::app
