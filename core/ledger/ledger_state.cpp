#include "ledger/ledger_state.h"

#include <sodium.h>

#include <limits>

namespace nesa::ledger {
namespace {

Error refused(const std::string &why) {
  return fail(ErrorCode::InvalidInput, "transaction refused: " + why);
}

bool addOverflows(Amount a, Amount b) { return a > std::numeric_limits<Amount>::max() - b; }

void hashU64(crypto_generichash_state &state, std::uint64_t v) {
  std::uint8_t bytes[8];
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<std::uint8_t>(v >> (8 * i));
  crypto_generichash_update(&state, bytes, sizeof bytes);
}

} // namespace

LedgerState::LedgerState(Genesis genesis) : m_genesis(std::move(genesis)) {
  for (const auto &[id, amount] : m_genesis.allocations)
    m_accounts[id].balance += amount;
}

AccountState LedgerState::account(const KeyHash &id) const {
  auto it = m_accounts.find(id);
  return it == m_accounts.end() ? AccountState{} : it->second;
}

Result<void> LedgerState::check(const Transaction &tx, Verify verify) const {
  if (tx.chainId != m_genesis.chainId)
    return refused("it is for chain '" + tx.chainId + "', not '" + m_genesis.chainId + "'");
  if (verify == Verify::All && !tx.signatureValid())
    return refused("the signature does not match the sender");
  const auto sender = account(keyHashOf(tx.sender));
  if (tx.nonce != sender.nonce)
    return refused("nonce " + std::to_string(tx.nonce) + " where " + std::to_string(sender.nonce) +
                   " is expected (already applied, or out of order)");
  const Amount minimum = m_genesis.params.minimumFee(tx.serialize().size());
  if (tx.fee < minimum)
    return refused("the fee " + std::to_string(tx.fee) + " is below the minimum " +
                   std::to_string(minimum));
  if (addOverflows(tx.fee, tx.tip))
    return refused("fee and tip overflow");
  const Amount charges = tx.fee + tx.tip;
  switch (tx.kind) {
  case TxKind::Transfer:
  case TxKind::Stake:
    if (addOverflows(charges, tx.amount) || sender.balance < charges + tx.amount)
      return refused("the balance does not cover the amount and the fee");
    if (tx.kind == TxKind::Transfer && tx.amount == 0)
      return refused("a transfer moves a positive amount");
    if (tx.kind == TxKind::Stake && sender.staked + tx.amount < m_genesis.params.minStake)
      return refused("stake must reach at least " + std::to_string(m_genesis.params.minStake));
    break;
  case TxKind::Unstake:
    if (sender.balance < charges)
      return refused("the balance does not cover the fee");
    if (tx.amount == 0 || tx.amount > sender.staked)
      return refused("cannot unstake more than is staked");
    break;
  }
  return {};
}

Result<void> LedgerState::apply(const Transaction &tx, std::uint64_t height, Verify verify) {
  if (auto ok = check(tx, verify); !ok)
    return ok;
  auto &sender = m_accounts[keyHashOf(tx.sender)];
  sender.balance -= tx.fee + tx.tip;
  m_feePool += tx.fee + tx.tip;
  ++sender.nonce;
  switch (tx.kind) {
  case TxKind::Transfer:
    sender.balance -= tx.amount;
    m_accounts[tx.to].balance += tx.amount;
    break;
  case TxKind::Stake:
    sender.balance -= tx.amount;
    sender.staked += tx.amount;
    break;
  case TxKind::Unstake:
    sender.staked -= tx.amount;
    sender.unbonding.emplace_back(height + m_genesis.params.unbondingBlocks, tx.amount);
    break;
  }
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
}

Amount LedgerState::totalSupply() const {
  Amount total = m_feePool;
  for (const auto &[id, state] : m_accounts) {
    total += state.balance + state.staked;
    for (const auto &[when, amount] : state.unbonding)
      total += amount;
  }
  return total;
}

Hash LedgerState::stateHash() const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, 32);
  hashU64(state, m_feePool);
  for (const auto &[id, account] : m_accounts) { // std::map: a canonical order
    if (account.balance == 0 && account.nonce == 0 && account.staked == 0 &&
        account.unbonding.empty())
      continue;
    crypto_generichash_update(&state, id.data(), id.size());
    hashU64(state, account.balance);
    hashU64(state, account.nonce);
    hashU64(state, account.staked);
    hashU64(state, account.unbonding.size());
    for (const auto &[when, amount] : account.unbonding) {
      hashU64(state, when);
      hashU64(state, amount);
    }
  }
  Hash hash{};
  crypto_generichash_final(&state, hash.data(), hash.size());
  return hash;
}

} // namespace nesa::ledger
