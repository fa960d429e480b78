// `nesa gov`: governance on the EVM network — proposals to change a bounded parameter of the
// Parameters contract, votes by delegated $NES, and queueing and executing passed proposals
// through the timelock (OpenZeppelin Governor).
#pragma once

#include "cli/context.h"

namespace nesa::cli {

/// Runs `nesa gov …` (ctx.args: the words after "gov").
int govCommand(Context &ctx);

} // namespace nesa::cli
