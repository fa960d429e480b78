// The one interface through which the rest of the product uses a ledger: the embedded chain in
// the node (LocalLedger), a node reached over the network (node::RemoteLedger), and later a
// client of an existing chain. tests/tst_ledger_conformance.cpp holds every implementation to
// the same behaviour.
#pragma once

#include "ledger/ledger_state.h"

#include <chrono>
#include <optional>
#include <vector>

namespace nesa::ledger {

/// An account as a wallet shows it.
struct AccountView {
  Amount balance = 0;
  Amount staked = 0;
  Amount unbonding = 0;
  std::uint64_t nextNonce = 0; ///< counting transactions accepted but not yet in a block
};

/// The chain at a glance.
struct LedgerStatus {
  std::string chainId;
  std::uint64_t height = 0;
  Hash tip{};
  Hash stateHash{};
  Params params;
  Amount supply = 0;
  Amount feePool = 0;
  std::uint64_t pending = 0; ///< transactions accepted, not yet in a block
  std::uint64_t miners = 0;
  std::uint64_t sessions = 0;
};

/// A transaction in a block.
struct TxRecord {
  std::uint64_t height = 0;
  Transaction tx;
};

/// A proposal and its id (the Propose transaction's id).
struct ProposalView {
  Hash id{};
  ProposalRecord record;
};

/// A registered miner on the ledger.
struct LedgerMiner {
  KeyHash account{};
  MinerRecord record;
  Amount staked = 0;
};

/// A ledger. Implementations are thread-safe.
class Ledger {
public:
  virtual ~Ledger() = default;
  /// Accepts `tx` for the next blocks (checked against the state and what is already pending)
  /// and returns its id; refusals say why (bad signature, nonce, fee, funds, ...).
  virtual Result<Hash> submit(const Transaction &tx) = 0;
  virtual Result<AccountView> account(const KeyHash &id) = 0;
  virtual Result<LedgerStatus> status() = 0;
  /// A session, or nullopt when there is none with that id.
  virtual Result<std::optional<SessionRecord>> session(const Hash &id) = 0;
  virtual Result<std::vector<ProposalView>> proposals() = 0;
  virtual Result<std::vector<LedgerMiner>> miners() = 0;
  /// The newest `limit` transactions `id` sent or received, newest first.
  virtual Result<std::vector<TxRecord>> history(const KeyHash &id, std::size_t limit) = 0;
  /// The height of the block holding transaction `id`; 0 while none does.
  virtual Result<std::uint64_t> inclusionHeight(const Hash &id) = 0;
};

/// Polls until transaction `id` is in a block (returns its height) or `timeout` passes.
Result<std::uint64_t> waitForInclusion(Ledger &ledger, const Hash &id,
                                       std::chrono::milliseconds timeout);

/// Builds a transaction of `kind` from `sender` with the next nonce and the least fee the
/// ledger's parameters ask for (plus `tip`); the caller signs it.
Result<Transaction> prepareTransaction(Ledger &ledger, TxKind kind, const PublicKey &sender,
                                       Amount amount = 0, const KeyHash &to = {},
                                       std::vector<std::uint8_t> payload = {}, Amount tip = 0);

} // namespace nesa::ledger
