#include "wallet/transaction_plan.h"

#include "wallet/account_reads.h"
#include "wallet/display_text.h"

namespace nesa::wallet {
namespace {

using chain::U256;
using V = chain::abi::Value;

/// Gas counted for a call that cannot be estimated before an earlier call of its plan is mined
/// (a stake after its approval): more than any single Nesa call uses.
constexpr std::uint64_t kUnestimatedCallGas = 300'000;

U256 times(const U256 &a, const U256 &b) {
  U256 product;
  return U256::mulOverflows(a, b, product) ? U256::max() : product;
}

} // namespace

Result<PlanPrice> pricePlan(ChainSigner &signer, const Plan &plan) {
  chain::RpcClient &rpc = signer.chain->rpc();
  const chain::Address from = signer.key->address();
  PlanPrice price;
  auto nes = signer.chain->contracts().token.call(rpc, "balanceOf", {V::address(from)});
  if (!nes)
    return nes.error();
  price.nesBalance = answerField(nes);
  if (plan.nesSpent > price.nesBalance) // checked first: it is the clearer refusal
    return fail(ErrorCode::Unavailable, "the balance (" + formatNes(price.nesBalance) +
                                            ") does not cover " + formatNes(plan.nesSpent) +
                                            "; nothing was sent");
  for (std::size_t i = 0; i < plan.calls.size(); ++i) {
    const PlannedCall &call = plan.calls[i];
    auto data = call.contract->encode(call.function, call.arguments);
    if (!data)
      return data.error();
    auto gas = rpc.estimateGas(from, call.contract->address(), *data);
    if (!gas && i == 0) // the first call runs against today's state: its refusal is the answer
      return call.contract->explain(gas.error()).withContext(call.function);
    price.bounded = price.bounded || !gas;
    price.gas += gas ? *gas : kUnestimatedCallGas;
  }
  auto gasPrice = rpc.gasPrice();
  auto tip = rpc.maxPriorityFeePerGas();
  auto gasBalance = rpc.balance(from);
  if (!gasPrice || !tip || !gasBalance)
    return !gasPrice ? gasPrice.error() : !tip ? tip.error() : gasBalance.error();
  price.fee = times(*gasPrice, U256(price.gas));
  // What the Transactor signs: a gas limit of the estimate + 20 %, at most twice today's gas
  // price (room for a base-fee rise) or the priority fee when that is higher.
  U256 perGas = times(*gasPrice, U256(2));
  if (perGas < *tip)
    perGas = *tip;
  price.maxFee = times(perGas, U256(price.gas + price.gas / 5));
  price.gasBalance = *gasBalance;
  return price;
}

Result<void> checkFeeCovered(const PlanPrice &price) {
  if (price.feeCovered())
    return {};
  return fail(ErrorCode::Unavailable, "the account cannot pay the network fee (it holds " +
                                          formatGasMoney(price.gasBalance) + "); nothing was sent");
}

PlanOutcome sendPlan(ChainSigner &signer, const Plan &plan, const PlanPrice &price) {
  PlanOutcome outcome;
  if (auto covered = checkFeeCovered(price); !covered) {
    outcome.error = covered.error();
    return outcome;
  }
  // No transaction may commit to more than the "at most" the user saw.
  signer.sender->setFeeBudget(price.maxFee);
  for (const PlannedCall &call : plan.calls) {
    auto sent = call.contract->send(*signer.sender, call.function, call.arguments);
    if (!sent) {
      outcome.error = sent.error();
      break;
    }
    outcome.sent.push_back(
        {call.function, sent->hash, sent->receipt.blockNumber, sent->receipt.gasUsed});
  }
  return outcome;
}

Plan planTransfer(const chain::NesaContracts &c, const chain::Address &to, std::uint64_t amount) {
  Plan plan;
  plan.title = "send " + formatNes(amount) + " to " + chain::checksumAddress(to);
  plan.nesSpent = amount;
  plan.calls = {{&c.token, "transfer", {V::address(to), V::uint(amount)}}};
  return plan;
}

Plan planStake(const chain::NesaContracts &c, std::uint64_t amount) {
  Plan plan;
  plan.title = "stake " + formatNes(amount);
  plan.nesSpent = amount;
  plan.calls = {{&c.token, "approve", {V::address(c.registry.address()), V::uint(amount)}},
                {&c.registry, "stake", {V::uint(amount)}}};
  plan.notes = {"stake stays slashable while it unbonds; unstaking takes the unbonding period"};
  return plan;
}

Plan planUnstake(chain::ChainConnection &chain, std::uint64_t amount) {
  const auto &c = chain.contracts();
  Plan plan;
  plan.title = "unstake " + formatNes(amount);
  plan.calls = {{&c.registry, "requestUnstake", {V::uint(amount)}}};
  auto period = c.parameters.call(chain.rpc(), "unbondingPeriod");
  plan.notes = {"it unbonds for " + std::to_string(answerField(period) / 3600) +
                " hours (still slashable), then 'nesa wallet withdraw' returns it; a miner "
                "under its minimum stake leaves the registry"};
  return plan;
}

Result<Plan> planWithdraw(chain::ChainConnection &chain, const chain::Address &account) {
  const auto &c = chain.contracts();
  auto unbonding = c.registry.call(chain.rpc(), "unbonding", {V::address(account)});
  auto now = chain.rpc().latestTimestamp();
  if (!unbonding || !now)
    return unbonding ? now.error() : unbonding.error();
  if (answerField(unbonding, 0) == 0)
    return fail(ErrorCode::NotFound, "no stake is unbonding");
  if (answerField(unbonding, 1) > *now)
    return fail(ErrorCode::Unavailable,
                formatNes(answerField(unbonding, 0)) + " is unbonding until " +
                    formatUnixTime(answerField(unbonding, 1)) + "; nothing was sent");
  Plan plan;
  plan.title = "withdraw " + formatNes(answerField(unbonding, 0)) + " of unbonded stake";
  plan.calls = {{&c.registry, "withdraw", {}}};
  return plan;
}

} // namespace nesa::wallet
