// `nesa chain devnet|status`: the local EVM network (anvil, the Nesa contracts, local miners) and
// any network's state, from the command line.
#pragma once

#include "cli/context.h"

namespace nesa::cli {

/// nesa chain devnet [--miners N] [--once] [--json] | status [--json]
int chainCommand(Context &ctx);

} // namespace nesa::cli
