// `nesa chain devnet`: the local EVM network (anvil and the Nesa contracts) from the command line.
#pragma once

#include "cli/context.h"

namespace nesa::cli {

/// nesa chain devnet [--once] [--json]
int chainCommand(Context &ctx);

} // namespace nesa::cli
