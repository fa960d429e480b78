#include "wallet/account_reads.h"

#include <algorithm>
#include <limits>
#include <map>

namespace nesa::wallet {
namespace {

using V = chain::abi::Value;

/// `account` as an indexed event topic.
chain::Hash32 topicOf(const chain::Address &account) {
  chain::Hash32 topic{};
  std::copy(account.begin(), account.end(), topic.begin() + 12);
  return topic;
}

/// The address in an indexed event topic.
chain::Address addressOf(const chain::Hash32 &topic) {
  chain::Address address{};
  std::copy_n(topic.begin() + 12, 20, address.begin());
  return address;
}

/// What a $NES transfer to or from one of the Nesa contracts was.
std::string kindOf(const chain::NesaContracts &c, const chain::Address &other, bool outgoing) {
  if (other == c.registry.address())
    return outgoing ? "stake" : "stake withdrawn";
  if (other == c.sessions.address())
    return outgoing ? "session deposit" : "session payment";
  if (other == c.disputes.address())
    return outgoing ? "report bond" : "dispute award";
  return "transfer";
}

} // namespace

std::uint64_t answerField(const Result<std::vector<V>> &answer, std::size_t field) {
  if (!answer || answer->size() <= field)
    return 0;
  auto value = (*answer)[field].asUint();
  return value && value->fitsU64() ? value->low64() : UINT64_MAX;
}

Result<AccountBalance> readBalance(chain::ChainConnection &chain, const chain::Address &account) {
  chain::RpcClient &rpc = chain.rpc();
  const auto &c = chain.contracts();
  const std::vector<V> who = {V::address(account)};
  auto nes = c.token.call(rpc, "balanceOf", who);
  auto votes = c.token.call(rpc, "getVotes", who);
  auto staked = c.registry.call(rpc, "staked", who);
  auto unbonding = c.registry.call(rpc, "unbonding", who);
  auto gas = rpc.balance(account);
  for (const auto *answer : {&nes, &votes, &staked, &unbonding})
    if (!*answer)
      return answer->error();
  if (!gas)
    return gas.error();
  AccountBalance out;
  out.address = account;
  out.balance = answerField(nes);
  out.staked = answerField(staked);
  out.unbonding = answerField(unbonding, 0);
  out.unbondingRelease = answerField(unbonding, 1);
  out.votes = answerField(votes);
  out.gasWei = *gas;
  return out;
}

Result<std::vector<TokenTransfer>> readTransfers(chain::ChainConnection &chain,
                                                 const chain::Address &account, std::size_t limit) {
  const auto &c = chain.contracts();
  auto topic = c.token.eventTopic("Transfer");
  if (!topic)
    return topic.error();
  const chain::Hash32 me = topicOf(account);
  auto sent = chain.events(c.token.address(), {*topic, me});
  auto received = chain.events(c.token.address(), {*topic, std::nullopt, me});
  if (!sent || !received)
    return sent ? received.error() : sent.error();
  std::vector<std::pair<chain::LogEntry, bool>> all;
  for (auto &log : *sent)
    all.emplace_back(std::move(log), true);
  for (auto &log : *received)
    if (log.topics.size() == 3 && log.topics[1] != me) // a transfer to oneself is listed once
      all.emplace_back(std::move(log), false);
  std::sort(all.begin(), all.end(),
            [](const auto &a, const auto &b) { return a.first.blockNumber > b.first.blockNumber; });
  std::vector<TokenTransfer> out;
  for (const auto &[log, outgoing] : all) {
    if (out.size() >= limit)
      break;
    chain::abi::Type uint256;
    auto amount = chain::abi::decode({uint256}, log.data);
    if (!amount || log.topics.size() != 3)
      return fail(ErrorCode::Corrupt, "the token contract logged a malformed Transfer event");
    const chain::Address other = addressOf(log.topics[outgoing ? 2 : 1]);
    const auto value = static_cast<std::int64_t>(
        std::min<std::uint64_t>(answerField(*amount), std::numeric_limits<std::int64_t>::max()));
    out.push_back({log.blockNumber, kindOf(c, other, outgoing), outgoing ? -value : value, other,
                   log.transactionHash});
  }
  return out;
}

Result<std::vector<PaymentSession>> readSessions(chain::ChainConnection &chain,
                                                 const chain::Address &account) {
  const auto &c = chain.contracts();
  auto topic = c.sessions.eventTopic("Opened");
  if (!topic)
    return topic.error();
  auto opened = chain.events(c.sessions.address(), {*topic, topicOf(account)});
  if (!opened)
    return opened.error();
  auto now = chain.rpc().latestTimestamp();
  if (!now)
    return now.error();
  std::map<chain::Address, std::uint64_t> newestOpening; // miner → block
  for (const auto &log : *opened) {
    if (log.topics.size() != 3)
      return fail(ErrorCode::Corrupt, "the session contract logged a malformed Opened event");
    const chain::Address miner = addressOf(log.topics[2]);
    newestOpening[miner] = std::max(newestOpening[miner], log.blockNumber);
  }
  std::vector<PaymentSession> out;
  for (const auto &[miner, block] : newestOpening) {
    auto s = c.sessions.call(chain.rpc(), "sessions", {V::address(account), V::address(miner)});
    if (!s)
      return s.error();
    PaymentSession session;
    session.miner = miner;
    session.openedBlock = block;
    session.deposit = answerField(s, 0);
    session.settled = answerField(s, 1);
    session.jobs = answerField(s, 2);
    session.expiresAt = answerField(s, 3);
    session.epoch = answerField(s, 4);
    session.open = session.deposit > 0 && session.expiresAt > *now;
    out.push_back(session);
  }
  std::sort(out.begin(), out.end(), [](const PaymentSession &a, const PaymentSession &b) {
    return a.openedBlock > b.openedBlock;
  });
  return out;
}

} // namespace nesa::wallet
