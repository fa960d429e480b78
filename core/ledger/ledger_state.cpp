#include "ledger/ledger_state.h"

#include <algorithm>

#include <sodium.h>

#include <limits>

namespace nesa::ledger {
namespace {

bool addOverflows(Amount a, Amount b) { return a > std::numeric_limits<Amount>::max() - b; }

class StateHasher {
public:
  StateHasher() { crypto_generichash_init(&m_state, nullptr, 0, 32); }
  void u64(std::uint64_t v) {
    std::uint8_t bytes[8];
    for (int i = 0; i < 8; ++i)
      bytes[i] = static_cast<std::uint8_t>(v >> (8 * i));
    raw(bytes);
  }
  void raw(std::span<const std::uint8_t> bytes) {
    crypto_generichash_update(&m_state, bytes.data(), bytes.size());
  }
  Hash finish() {
    Hash hash{};
    crypto_generichash_final(&m_state, hash.data(), hash.size());
    return hash;
  }

private:
  crypto_generichash_state m_state;
};

} // namespace

LedgerState::LedgerState(Genesis genesis)
    : m_genesis(std::move(genesis)), m_params(m_genesis.params) {
  for (const auto &[id, amount] : m_genesis.allocations)
    m_accounts[id].balance += amount;
}

AccountState LedgerState::account(const KeyHash &id) const {
  auto it = m_accounts.find(id);
  return it == m_accounts.end() ? AccountState{} : it->second;
}

Result<void> LedgerState::check(const Transaction &tx, std::uint64_t height, Verify verify) const {
  const auto refused = [](const std::string &why) {
    return fail(ErrorCode::InvalidInput, "transaction refused: " + why);
  };
  if (tx.chainId != m_genesis.chainId)
    return refused("it is for chain '" + tx.chainId + "', not '" + m_genesis.chainId + "'");
  if (verify == Verify::All && !tx.signatureValid())
    return refused("the signature does not match the sender");
  const auto sender = account(keyHashOf(tx.sender));
  if (tx.nonce != sender.nonce)
    return refused("nonce " + std::to_string(tx.nonce) + " where " + std::to_string(sender.nonce) +
                   " is expected (already applied, or out of order)");
  const Amount minimum = m_params.minimumFee(tx.serialize().size());
  if (tx.fee < minimum)
    return refused("the fee " + std::to_string(tx.fee) + " is below the minimum " +
                   std::to_string(minimum));
  if (addOverflows(tx.fee, tx.tip) || addOverflows(tx.fee + tx.tip, tx.amount))
    return refused("the amounts overflow");
  if (sender.balance < tx.fee + tx.tip)
    return refused("the balance does not cover the fee");
  if (auto kind = checkKind(tx, sender, tx.fee + tx.tip, height); !kind)
    return refused(kind.error().message);
  return {};
}

Result<void> LedgerState::apply(const Transaction &tx, std::uint64_t height, Verify verify) {
  if (auto ok = check(tx, height, verify); !ok)
    return ok;
  auto &sender = m_accounts[keyHashOf(tx.sender)];
  sender.balance -= tx.fee + tx.tip;
  m_feePool += tx.fee + tx.tip;
  ++sender.nonce;
  applyKind(tx, sender, height);
  return {};
}

void LedgerState::endBlock(std::uint64_t height) {
  for (auto &[id, state] : m_accounts) {
    auto &entries = state.unbonding;
    for (auto it = entries.begin(); it != entries.end();) {
      if (it->first <= height) {
        state.balance += it->second;
        it = entries.erase(it);
      } else {
        ++it;
      }
    }
  }
  if (m_params.rewardBlocks > 0 && height % m_params.rewardBlocks == 0 && m_feePool > 0)
    distributeRewards();
  Amount totalStake = 0;
  for (const auto &[id, state] : m_accounts)
    totalStake += state.staked;
  for (auto &[id, proposal] : m_proposals) {
    if (proposal.decided || proposal.endsAt > height)
      continue;
    proposal.decided = true;
    const Amount turnout = proposal.yes + proposal.no;
    proposal.passed =
        proposal.yes > proposal.no && turnout * 100 >= totalStake * m_params.quorumPercent;
    if (!proposal.passed)
      continue;
    switch (proposal.change.param) {
    case ParamId::BaseFee: m_params.baseFee = proposal.change.value; break;
    case ParamId::FeePerByte: m_params.feePerByte = proposal.change.value; break;
    case ParamId::UnbondingBlocks: m_params.unbondingBlocks = proposal.change.value; break;
    case ParamId::MinStake: m_params.minStake = proposal.change.value; break;
    }
  }
}

void LedgerState::adjustReputation(const KeyHash &miner, std::int64_t change) {
  auto it = m_miners.find(miner);
  if (it != m_miners.end())
    it->second.reputation = std::clamp<std::int64_t>(it->second.reputation + change, -1000, 1000);
}

// Exact 128-bit products: shares must be the same on every machine.
__extension__ using Wide = unsigned __int128;

void LedgerState::distributeRewards() {
  // Each registered miner's weight: its stake × (1000 + reputation); shares are rounded down and
  // the remainder stays in the pool.
  std::vector<std::pair<KeyHash, Wide>> weights;
  Wide total = 0;
  for (const auto &[id, miner] : m_miners) {
    const auto weight =
        static_cast<Wide>(m_accounts[id].staked) * static_cast<Wide>(1000 + miner.reputation);
    weights.emplace_back(id, weight);
    total += weight;
  }
  if (total == 0)
    return;
  const Amount pool = m_feePool;
  for (const auto &[id, weight] : weights) {
    const auto share = static_cast<Amount>(pool * weight / total);
    m_accounts[id].balance += share;
    m_feePool -= share;
  }
}

Amount LedgerState::totalSupply() const {
  Amount total = m_feePool;
  for (const auto &[id, state] : m_accounts) {
    total += state.balance + state.staked;
    for (const auto &[when, amount] : state.unbonding)
      total += amount;
  }
  for (const auto &[id, session] : m_sessions)
    total += session.deposit - session.paid;
  return total;
}

Hash LedgerState::stateHash() const {
  StateHasher h;
  h.u64(m_feePool);
  h.u64(m_burnt);
  for (auto v : {m_params.baseFee, m_params.feePerByte, m_params.unbondingBlocks, m_params.minStake,
                 m_params.votingBlocks, m_params.quorumPercent, m_params.maxSessionBlocks,
                 m_params.slashPercent, m_params.rewardBlocks})
    h.u64(v);
  h.u64(m_usedEvidence.size());
  for (const auto &id : m_usedEvidence)
    h.raw(id);
  for (const auto &[id, account] : m_accounts) { // std::map: a canonical order
    if (account.balance == 0 && account.nonce == 0 && account.staked == 0 &&
        account.unbonding.empty())
      continue;
    h.raw(id);
    h.u64(account.balance);
    h.u64(account.nonce);
    h.u64(account.staked);
    h.u64(account.unbonding.size());
    for (const auto &[when, amount] : account.unbonding) {
      h.u64(when);
      h.u64(amount);
    }
  }
  h.u64(m_miners.size());
  for (const auto &[id, miner] : m_miners) {
    h.raw(id);
    h.raw(miner.offer.encode());
    h.u64(miner.registeredAt);
    h.u64(static_cast<std::uint64_t>(miner.reputation));
  }
  h.u64(m_sessions.size());
  for (const auto &[id, session] : m_sessions) {
    h.raw(id);
    h.raw(session.client);
    h.raw(session.miner);
    h.u64(session.deposit);
    h.u64(session.paid);
    h.u64(session.expiry);
  }
  h.u64(m_proposals.size());
  for (const auto &[id, proposal] : m_proposals) {
    h.raw(id);
    h.raw(proposal.change.encode());
    h.u64(proposal.endsAt);
    h.u64(proposal.yes);
    h.u64(proposal.no);
    h.u64(proposal.voters.size());
    h.u64((proposal.decided ? 1 : 0) | (proposal.passed ? 2 : 0));
  }
  return h.finish();
}

} // namespace nesa::ledger
