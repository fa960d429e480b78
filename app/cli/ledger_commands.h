// `nesa ledger status` (the home-made chain of nesa-node, until it is removed) and the $NES
// amount format every command shares.
#pragma once

#include "cli/context.h"

#include <filesystem>
#include <string>
#include <vector>

namespace nesa::cli {

/// nesa ledger status [--node HOST:PORT]
int ledgerCommand(Context &ctx);

/// "1.5" or "2" NES → micro-NES; refuses more than 6 decimals, signs and garbage.
Result<std::uint64_t> parseNes(const std::string &text);
/// micro-NES → "1.500000 NES"
std::string formatNes(std::uint64_t micro);

} // namespace nesa::cli
