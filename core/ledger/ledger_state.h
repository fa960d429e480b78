// The deterministic state machine of the $NES ledger: accounts, stake, unbonding and fees.
#pragma once

#include "ledger/payloads.h"
#include "ledger/transaction.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace nesa::ledger {

/// Network parameters (governance will change them; genesis sets them).
struct Params {
  Amount baseFee = 1'000;             ///< flat part of every fee, micro-NES
  Amount feePerByte = 10;             ///< per byte of the serialized transaction
  std::uint64_t unbondingBlocks = 20; ///< blocks between Unstake and the stake's return
  Amount minStake = 1'000'000;        ///< smallest stake a Stake transaction may leave (1 NES)
  std::uint64_t votingBlocks = 10;    ///< how long a proposal is open for votes
  std::uint64_t quorumPercent = 33;   ///< share of all stake that must vote for a result to count
  std::uint64_t maxSessionBlocks = 100'000; ///< the longest a session may lock a deposit
  std::uint64_t slashPercent = 10; ///< share of a miner's stake one proven wrong answer costs
  std::uint64_t rewardBlocks = 0; ///< every this many blocks the fee pool goes to miners (0: never)

  /// The least fee a transaction of `bytes` bytes must carry.
  Amount minimumFee(std::size_t bytes) const { return baseFee + feePerByte * bytes; }
};

/// The starting point: chain id, parameters and initial balances.
struct Genesis {
  std::string chainId = "nesa-devnet";
  Params params;
  std::vector<std::pair<KeyHash, Amount>> allocations;
  /// Who may submit Slash transactions after recomputing a disputed share job (the node that
  /// judges, on a devnet); all zero: no slashing on this chain.
  PublicKey arbiter{};
};

/// One account's state.
struct AccountState {
  Amount balance = 0;
  std::uint64_t nonce = 0; ///< transactions applied so far: the next one must carry this nonce
  Amount staked = 0;
  std::vector<std::pair<std::uint64_t, Amount>> unbonding; ///< (height it returns at, amount)
};

/// A registered miner.
struct MinerRecord {
  PublicKey key{};
  MinerOffer offer;
  std::uint64_t registeredAt = 0;
  /// −1000..1000: settled (verified, paid) work raises it, proven wrong answers and missed
  /// deadlines lower it; it weighs the miner's share of the rewards.
  std::int64_t reputation = 0;
};

/// A PayForQuery session: a client's deposit locked for one miner until `expiry`.
struct SessionRecord {
  PublicKey client{};
  KeyHash miner{};
  Amount deposit = 0;
  Amount paid = 0; ///< settled so far (the latest receipt's cumulative amount)
  std::uint64_t expiry = 0;
};

/// A governance proposal and its tally.
struct ProposalRecord {
  ParamChange change;
  std::uint64_t endsAt = 0;
  Amount yes = 0; ///< stake that voted for
  Amount no = 0;
  std::set<KeyHash> voters;
  bool decided = false;
  bool passed = false;
};

/// Applies transactions and block boundaries deterministically. Never lets a balance go
/// negative or money appear: Σ balances + stake + unbonding + session escrow + fee pool stays
/// the genesis supply, minus what slashing burnt.
class LedgerState {
public:
  explicit LedgerState(Genesis genesis);

  /// How much of a transaction to check: everything, or the state only (for a transaction whose
  /// signature was already verified, as block production re-checks queued ones many times).
  enum class Verify { All, StateOnly };

  /// Why `tx` cannot be applied now (signature, chain, nonce, fee, funds), or success. Changes
  /// nothing.
  Result<void> check(const Transaction &tx, std::uint64_t height,
                     Verify verify = Verify::All) const;
  /// Checks and applies `tx` in block `height`.
  Result<void> apply(const Transaction &tx, std::uint64_t height, Verify verify = Verify::All);
  /// Closes block `height`: stake whose unbonding ends here returns to balances, and proposals
  /// whose vote ends here are decided (and applied when they pass).
  void endBlock(std::uint64_t height);

  /// The account for `id` (a zero account when it never received anything).
  AccountState account(const KeyHash &id) const;
  /// The parameters in force (genesis values, changed by passed proposals).
  const Params &params() const { return m_params; }
  const std::map<KeyHash, MinerRecord> &miners() const { return m_miners; }
  const std::map<Hash, SessionRecord> &sessions() const { return m_sessions; }
  const std::map<Hash, ProposalRecord> &proposals() const { return m_proposals; }
  const std::string &chainId() const { return m_genesis.chainId; }
  /// Fees collected (they will fund miner rewards).
  Amount feePool() const { return m_feePool; }
  /// What slashing has destroyed (the other half went to reporters).
  Amount burnt() const { return m_burnt; }
  /// Everything that exists: balances, stake, unbonding and the fee pool.
  Amount totalSupply() const;
  /// BLAKE2b-256 of the canonical encoding of the whole state.
  Hash stateHash() const;

private:
  Result<void> checkKind(const Transaction &tx, const AccountState &sender, Amount charges,
                         std::uint64_t height) const;
  void applyKind(const Transaction &tx, AccountState &sender, std::uint64_t height);
  void adjustReputation(const KeyHash &miner, std::int64_t change);
  void distributeRewards();

  Genesis m_genesis;
  Params m_params;
  std::map<KeyHash, AccountState> m_accounts;
  std::map<KeyHash, MinerRecord> m_miners;
  std::map<Hash, SessionRecord> m_sessions;
  std::map<Hash, ProposalRecord> m_proposals;
  Amount m_feePool = 0;
  Amount m_burnt = 0;
  std::set<Hash> m_usedEvidence; ///< SlashEvidence ids already punished
};

} // namespace nesa::ledger
