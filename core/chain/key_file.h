// An account key kept in a file of its own (64 hex digits, readable only by its owner): the
// devnet treasury's, and a miner's account for stake, registration and settlement.
#pragma once

#include "chain/account_key.h"

#include <filesystem>

namespace nesa::chain {

/// The key in `file`, or a new random one written there first (created 0600, fsynced). The
/// hex text passes through locked memory only. A file that is not a key is a Corrupt error.
Result<AccountKey> loadOrCreateKeyFile(const std::filesystem::path &file);

} // namespace nesa::chain
