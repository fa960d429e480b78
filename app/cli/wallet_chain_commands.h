// `nesa wallet balance|history|sessions|send|stake|unstake|withdraw` on the EVM network: $NES
// balances, transfers and payment sessions read from the contracts, and transactions signed with
// the wallet's Ethereum account after showing what they cost.
#pragma once

#include "cli/context.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nesa::cli {

/// Runs one of those wallet commands (`words` start with its name) for the wallet at `file`.
int walletChainCommand(Context &ctx, const std::vector<std::string> &words,
                       const std::filesystem::path &file);

} // namespace nesa::cli
