#include "chain/session_payer.h"

#include <chrono>

namespace nesa::chain {

using V = abi::Value;

namespace {

/// Seconds of slack kept before a session's expiry: the chain's clock and ours differ a little,
/// and the miner settles after the job.
constexpr std::uint64_t kExpirySlack = 60;

std::uint64_t wallClockSeconds() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

} // namespace

SessionPayer::SessionPayer(ChainConnection &chain, AccountKey key, Terms terms,
                           std::filesystem::path journal)
    : m_chain(chain), m_key(std::move(key)),
      m_sender(chain.rpc(), m_key, chain.chainId(), std::move(journal)), m_terms(terms) {}

Result<void> SessionPayer::ensureSession(const Address &miner, std::uint64_t jobSeconds,
                                         const U256 &owedAfterJob) {
  std::lock_guard lock(m_mutex);
  const auto fits = [&](const SessionState &s) {
    return !s.deposit.isZero() && s.expiresAt > wallClockSeconds() + jobSeconds + kExpirySlack &&
           owedAfterJob <= s.deposit;
  };
  if (auto it = m_known.find(miner); it != m_known.end() && fits(it->second.state))
    return {};
  const NesaContracts &c = m_chain.contracts();
  auto state = readSession(m_chain.rpc(), c.sessions, address(), miner);
  if (!state)
    return state.error();
  if (!fits(*state)) {
    auto now = m_chain.rpc().latestTimestamp();
    if (!now)
      return now.error();
    // A deposit that a job would exceed is topped up by a whole deposit (or what covers it).
    U256 topUp = m_terms.deposit;
    U256 shortfall;
    if (U256::subtract(owedAfterJob, state->deposit, shortfall) && shortfall > topUp)
      topUp = shortfall;
    const std::uint64_t expiresAt =
        std::max(state->expiresAt, std::max(*now, wallClockSeconds()) + m_terms.seconds);
    if (auto approved =
            c.token.send(m_sender, "approve", {V::address(c.sessions.address()), V::uint(topUp)});
        !approved)
      return approved.error().withContext("approving a session deposit");
    if (auto opened = c.sessions.send(m_sender, "open",
                                      {V::address(miner), V::uint(topUp), V::uint(expiresAt)});
        !opened)
      return opened.error().withContext("opening a session with miner " + checksumAddress(miner));
    U256::addOverflows(m_deposited, topUp, m_deposited);
    auto reread = readSession(m_chain.rpc(), c.sessions, address(), miner);
    if (!reread)
      return reread.error();
    state = std::move(reread);
  }
  m_known[miner] = Known{*state};
  return {};
}

Result<SignedReceipt> SessionPayer::receipt(const Address &miner, std::uint64_t jobs,
                                            const U256 &amount) {
  std::lock_guard lock(m_mutex);
  const auto it = m_known.find(miner);
  if (it == m_known.end())
    return fail(ErrorCode::InvalidInput,
                "no session with miner " + checksumAddress(miner) + " (ensureSession first)");
  SignedReceipt out;
  out.receipt = PaymentReceipt{address(), miner, it->second.state.epoch, jobs, amount};
  out.signature =
      m_key.sign(receiptDigest(out.receipt, m_chain.chainId(), m_chain.deployment().sessions));
  return out;
}

U256 SessionPayer::deposited() const {
  std::lock_guard lock(m_mutex);
  return m_deposited;
}

} // namespace nesa::chain
