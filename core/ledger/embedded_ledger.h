// The ledger inside the local node: a mempool, block production, and the chain persisted in an
// encrypted store and replayed from genesis on every open.
#pragma once

#include "ledger/block.h"
#include "ledger/ledger_state.h"
#include "storage/key_derivation.h"

#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace nesa::storage {
class EncryptedStore;
}

namespace nesa::ledger {

/// The embedded ledger. Blocks are committed atomically (one store transaction each), so a
/// crash loses at most the block being written, never part of one. Not thread-safe.
class EmbeddedLedger {
public:
  /// Opens the chain in `file` (creating it with `genesis` when absent) and replays every block,
  /// checking links and state hashes. A file made from another genesis is refused.
  static Result<EmbeddedLedger> open(const std::filesystem::path &file,
                                     const SecureBuffer &passphrase, const Genesis &genesis,
                                     const storage::KdfParams &kdf = {});

  EmbeddedLedger(EmbeddedLedger &&) noexcept;
  EmbeddedLedger &operator=(EmbeddedLedger &&) noexcept;
  ~EmbeddedLedger();

  /// Queues `tx` after checking it against the state plus everything already queued; returns
  /// its id. Duplicates, replays, bad signatures, low fees and overspending are refused.
  Result<Hash> submit(const Transaction &tx);
  /// Makes the next block from the queue, highest (fee + tip) per byte first within each
  /// sender's nonce order, applies and commits it.
  Result<Block> produceBlock(std::size_t maxTransactions = 1000);

  const LedgerState &state() const { return m_state; }
  std::uint64_t height() const { return m_height; }
  /// The newest block's hash (the genesis hash before the first block).
  const Hash &tip() const { return m_tip; }
  std::size_t pending() const { return m_mempool.size(); }
  /// The nonce the sender's next transaction must carry, counting queued ones.
  std::uint64_t nextNonce(const KeyHash &sender) const {
    return m_pendingState.account(sender).nonce;
  }

  /// The height of the block that holds transaction `id`, or 0 when no block does (yet).
  std::uint64_t inclusionHeight(const Hash &id) const;
  /// The newest `limit` applied transactions that `account` sent or received, newest first,
  /// with the height of their block.
  Result<std::vector<std::pair<std::uint64_t, Transaction>>> history(const KeyHash &account,
                                                                     std::size_t limit) const;
  /// The chain's genesis.
  const Genesis &genesis() const { return m_genesis; }

  /// The hash that identifies a genesis (its chain id, parameters and allocations).
  static Hash genesisHash(const Genesis &genesis);

private:
  explicit EmbeddedLedger(const Genesis &genesis);
  Result<void> replay();
  void index(const Block &block);

  Genesis m_genesis;
  std::unique_ptr<storage::EncryptedStore> m_store;
  LedgerState m_state;
  LedgerState m_pendingState; ///< m_state with the mempool applied, for checking submissions
  std::vector<Transaction> m_mempool; ///< in arrival order
  std::set<Hash> m_queuedIds;
  std::uint64_t m_height = 0;
  Hash m_tip{};
  std::map<Hash, std::uint64_t> m_included; ///< transaction id → block height
  std::map<KeyHash, std::vector<std::pair<std::uint64_t, Hash>>> m_touched; ///< by account
};

} // namespace nesa::ledger
