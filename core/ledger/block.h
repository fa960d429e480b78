// Blocks: hash-linked batches of transactions, each committing to the state after it.
#pragma once

#include "ledger/transaction.h"

namespace nesa::ledger {

/// One block of the chain.
struct Block {
  std::uint64_t height = 0; ///< 1 for the first block after genesis
  Hash previous{};          ///< the previous block's hash (the genesis hash for block 1)
  Hash stateHash{};         ///< LedgerState::stateHash() after applying this block
  std::vector<Transaction> transactions;

  std::vector<std::uint8_t> serialize() const;
  static Result<Block> parse(std::span<const std::uint8_t> bytes);
  /// BLAKE2b-256 of serialize().
  Hash hash() const;
};

} // namespace nesa::ledger
