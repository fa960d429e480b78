// The commands that talk to the node's ledger: nesa ledger status, nesa gov ..., and the wallet's
// balance, send, history, stake and unstake.
#pragma once

#include "cli/context.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nesa::cli {

/// nesa ledger status [--node HOST:PORT]
int ledgerCommand(Context &ctx);
/// nesa gov list | propose PARAM VALUE | vote PROPOSAL yes|no  [--account N] [--node HOST:PORT]
int govCommand(Context &ctx);
/// nesa wallet balance|send|history|stake|unstake ...; `words` are the words after "wallet"
/// without --file, `file` the wallet.
int walletLedgerCommand(Context &ctx, const std::vector<std::string> &words,
                        const std::filesystem::path &file);

/// "1.5" or "2" NES → micro-NES; refuses more than 6 decimals, signs and garbage.
Result<std::uint64_t> parseNes(const std::string &text);
/// micro-NES → "1.500000 NES"
std::string formatNes(std::uint64_t micro);

} // namespace nesa::cli
