// `nesa wallet ...`: create, restore and inspect the $NES wallet.
#pragma once

#include "cli/context.h"

namespace nesa::cli {

/// Runs `nesa wallet SUBCOMMAND [--file WALLET] ...`; returns the exit code.
int walletCommand(Context &ctx);

} // namespace nesa::cli
