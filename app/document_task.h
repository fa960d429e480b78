// nesa analyze DOCUMENT --model FOLDER --task summarize|classify: a document task with the
// user's own language-model folder (no model weights ship with Nesa).
#pragma once

#include "cli/arguments.h"
#include "privacy/engine.h"

namespace nesa::app {

/// Runs the task the arguments ask for on the document `args.positional[0]` with the model
/// folder `--model`, at `options.level` (local, or in-process miners with --in-process).
/// Prints the result and the report; returns the process exit code.
int runDocumentTask(const cli::Arguments &args, privacy::RunOptions options);

} // namespace nesa::app
