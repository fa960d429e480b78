#include "chain/session_desk.h"

#include "chain/account_key.h"

namespace nesa::chain {

using V = abi::Value;

namespace {
Error refused(const std::string &why) { return fail(ErrorCode::InvalidInput, why); }
} // namespace

SessionDesk::SessionDesk(RpcClient &rpc, Contract sessions, const Address &miner,
                         std::uint64_t chainId)
    : m_rpc(rpc), m_sessions(std::move(sessions)), m_miner(miner), m_chainId(chainId) {}

Result<SessionState> readSession(RpcClient &rpc, const Contract &sessions, const Address &client,
                                 const Address &miner) {
  auto values = sessions.call(rpc, "sessions", {V::address(client), V::address(miner)});
  if (!values)
    return values.error();
  if (values->size() != 6)
    return fail(ErrorCode::Corrupt,
                "PaymentSessions.sessions answered " + std::to_string(values->size()) + " fields");
  SessionState s;
  s.deposit = *(*values)[0].asUint();
  s.settled = *(*values)[1].asUint();
  s.jobs = (*values)[2].asUint()->low64();
  s.expiresAt = (*values)[3].asUint()->low64();
  s.epoch = (*values)[4].asUint()->low64();
  s.settleWindow = (*values)[5].asUint()->low64();
  return s;
}

Result<SessionState> SessionDesk::session(const Address &client) {
  return readSession(m_rpc, m_sessions, client, m_miner);
}

Result<void> SessionDesk::admitJob(const Address &client, const U256 &owedAfterJob,
                                   std::uint64_t jobSeconds) {
  auto s = session(client);
  if (!s)
    return s.error();
  auto now = m_rpc.latestTimestamp();
  if (!now)
    return now.error();
  return admitJob(client, *s, *now, owedAfterJob, jobSeconds);
}

Result<void> SessionDesk::admitJob(const Address &client, const SessionState &s, std::uint64_t now,
                                   const U256 &owedAfterJob, std::uint64_t jobSeconds) const {
  if (s.deposit.isZero())
    return refused("client " + checksumAddress(client) + " has no open session with this miner");
  // Served after expiry, a job could not be settled before the client may close: no free compute.
  if (s.expiresAt < now + jobSeconds)
    return refused("the session of " + checksumAddress(client) + " expires at " +
                   std::to_string(s.expiresAt) + ", before this job could end (now " +
                   std::to_string(now) + " + " + std::to_string(jobSeconds) + " s)");
  if (owedAfterJob > s.deposit)
    return refused("the deposit of " + checksumAddress(client) + " (" + s.deposit.toDecimal() +
                   " µNES) does not cover " + owedAfterJob.toDecimal() + " µNES");
  return {};
}

Result<void> SessionDesk::acceptReceipt(const PaymentReceipt &receipt, const Signature &signature) {
  auto state = session(receipt.client);
  if (!state)
    return state.error();
  return acceptReceipt(receipt, signature, *state);
}

Result<void> SessionDesk::acceptReceipt(const PaymentReceipt &receipt, const Signature &signature,
                                        const SessionState &state) {
  if (receipt.miner != m_miner)
    return refused("the receipt is for another miner");
  const SessionState *s = &state;
  if (receipt.epoch != s->epoch)
    return refused("the receipt is for session epoch " + std::to_string(receipt.epoch) +
                   ", the session is in " + std::to_string(s->epoch));
  auto signer = recoverSigner(receiptDigest(receipt, m_chainId, m_sessions.address()), signature);
  if (!signer || *signer != receipt.client)
    return refused("the receipt is not signed by its client");
  if (!hasLowS(signature))
    return refused("the receipt's signature has a high s, which the contract refuses");
  if (receipt.amount > s->deposit)
    return refused("the receipt promises " + receipt.amount.toDecimal() +
                   " µNES, more than the deposit");
  const auto it = m_newest.find(receipt.client);
  const bool keptOne = it != m_newest.end() && it->second.receipt.epoch == s->epoch;
  const U256 &floor = keptOne ? std::max(s->settled, it->second.receipt.amount) : s->settled;
  const std::uint64_t jobsFloor = keptOne ? std::max(s->jobs, it->second.receipt.jobs) : s->jobs;
  // The contract settles only a larger amount with no fewer jobs: anything else would be unpayable.
  if (receipt.amount <= floor)
    return refused("the receipt is not newer than the last one (" + floor.toDecimal() + " µNES)");
  if (receipt.jobs < jobsFloor)
    return refused("the receipt counts fewer jobs (" + std::to_string(receipt.jobs) +
                   ") than the last one (" + std::to_string(jobsFloor) + ")");
  m_newest[receipt.client] = Newest{receipt, signature};
  return {};
}

Result<U256> SessionDesk::settleNewest(Transactor &sender, const Address &client) {
  const auto it = m_newest.find(client);
  if (it == m_newest.end())
    return U256(0);
  auto s = session(client);
  if (!s)
    return s.error();
  const PaymentReceipt &r = it->second.receipt;
  if (r.epoch != s->epoch || r.amount <= s->settled)
    return U256(0); // already on chain (or the session moved on)
  auto sent = m_sessions.send(sender, "settle",
                              {V::address(client), V::uint(r.jobs), V::uint(r.amount),
                               V::bytes(it->second.signature.toRsv())});
  if (!sent)
    return sent.error();
  U256 delta;
  U256::subtract(r.amount, s->settled, delta);
  return delta;
}

} // namespace nesa::chain
