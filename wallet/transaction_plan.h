// What a wallet action is about to do on the network, priced before anything is signed: a plan
// of contract calls, its network fee (gas, in the chain's own currency) and $NES spent, checked
// against the account's balances, then sent in order under a fee budget of what was shown.
#pragma once

#include "chain/abi.h"
#include "chain/contract.h"
#include "wallet/chain_signer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nesa::wallet {

/// One transaction of a plan.
struct PlannedCall {
  const chain::Contract *contract = nullptr;
  std::string function;
  std::vector<chain::abi::Value> arguments;
};

/// What an action does: a title for people and the transactions, in order.
struct Plan {
  std::string title;          ///< "send 12.000000 NES to 0x…"
  std::uint64_t nesSpent = 0; ///< µNES leaving the account's balance (checked against it)
  std::vector<PlannedCall> calls;
  std::vector<std::string> notes; ///< what else the user should know before confirming
};

/// The price of a plan as the chain prices it now.
struct PlanPrice {
  std::uint64_t gas = 0;
  bool bounded = false; ///< some call's gas is a fixed bound, not an estimate
  chain::U256 fee;      ///< about: the gas at today's gas price
  chain::U256 maxFee;   ///< at most: what the transactions are signed to allow
  chain::U256 gasBalance;
  std::uint64_t nesBalance = 0; ///< µNES the account holds
  bool feeCovered() const { return !(gasBalance < maxFee); }
};

/// Prices `plan` for `signer`'s account: each call's gas (a call that needs an earlier one mined
/// counts a fixed bound). Unavailable when the $NES balance does not cover the plan; the first
/// call's refusal by the contract is explained.
Result<PlanPrice> pricePlan(ChainSigner &signer, const Plan &plan);

/// Unavailable, saying so, when the account cannot pay the fee at most.
Result<void> checkFeeCovered(const PlanPrice &price);

/// One sent transaction.
struct SentCall {
  std::string function;
  chain::Hash32 hash{};
  std::uint64_t block = 0;
  std::uint64_t gasUsed = 0;
};

/// What sending a plan did: the calls mined, and why it stopped early (if it did).
struct PlanOutcome {
  std::vector<SentCall> sent;
  std::optional<Error> error;
};

/// Sends `plan`'s calls in order after checkFeeCovered, none committing to more than
/// `price.maxFee` in all; stops at the first refusal.
PlanOutcome sendPlan(ChainSigner &signer, const Plan &plan, const PlanPrice &price);

/// A $NES transfer of `amount` µNES to `to`.
Plan planTransfer(const chain::NesaContracts &contracts, const chain::Address &to,
                  std::uint64_t amount);
/// Staking `amount` µNES on the registry (an approval, then the stake).
Plan planStake(const chain::NesaContracts &contracts, std::uint64_t amount);
/// Unstaking `amount` µNES: it unbonds (still slashable) for the network's unbonding period.
Plan planUnstake(chain::ChainConnection &chain, std::uint64_t amount);
/// Withdrawing `account`'s unbonded stake: NotFound when none unbonds, Unavailable (with the
/// date) while it still unbonds.
Result<Plan> planWithdraw(chain::ChainConnection &chain, const chain::Address &account);

} // namespace nesa::wallet
