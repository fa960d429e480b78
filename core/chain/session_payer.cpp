#include "chain/session_payer.h"

#include "util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <optional>

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
                           std::filesystem::path journal, std::filesystem::path receipts)
    : m_chain(chain), m_key(std::move(key)),
      m_sender(chain.rpc(), m_key, chain.chainId(), std::move(journal)), m_terms(terms),
      m_receiptsFile(std::move(receipts)) {}

Result<void> SessionPayer::loadReceipts() {
  std::lock_guard lock(m_mutex);
  if (m_receiptsFile.empty())
    return {};
  if (!m_receiptsLock) {
    auto held = FileLock::acquire(
        m_receiptsFile.string() + ".lock",
        "another program is paying from account " + checksumAddress(m_key.address()) +
            " on this network (a second 'nesa analyze' or the desktop app): two would sign "
            "overlapping receipts; wait until it finishes");
    if (!held)
      return held.error();
    m_receiptsLock.emplace(std::move(*held));
  }
  std::error_code ec;
  if (!std::filesystem::exists(m_receiptsFile, ec))
    return {};
  std::ifstream in(m_receiptsFile);
  const auto json = nlohmann::json::parse(in, nullptr, false);
  const auto damaged = [this] {
    m_receiptsDamaged = true;
    return fail(ErrorCode::Corrupt, m_receiptsFile.string() +
                                        " (the receipts this account signed) is damaged; nothing "
                                        "was paid with it until it is moved away");
  };
  if (!json.is_object() || !json.contains("receipts") || !json["receipts"].is_array())
    return damaged();
  for (const auto &entry : json["receipts"]) {
    if (!entry.is_object() || !entry.value("miner", nlohmann::json()).is_string() ||
        !entry.value("epoch", nlohmann::json()).is_number_unsigned() ||
        !entry.value("jobs", nlohmann::json()).is_number_unsigned() ||
        !entry.value("amount", nlohmann::json()).is_string())
      return damaged();
    auto miner = parseAddress(entry["miner"].get<std::string>());
    auto amount = U256::parse(entry["amount"].get<std::string>());
    if (!miner || !amount)
      return damaged();
    const Totals totals{entry["epoch"].get<std::uint64_t>(), entry["jobs"].get<std::uint64_t>(),
                        *amount};
    raise(m_earlier[*miner], totals);
    raise(m_signed[*miner], totals);
  }
  return {};
}

Result<void> SessionPayer::saveReceipts() const {
  if (m_receiptsFile.empty())
    return {};
  if (m_receiptsDamaged)
    return fail(ErrorCode::Corrupt, m_receiptsFile.string() + " is damaged; not overwriting it");
  nlohmann::json receipts = nlohmann::json::array();
  for (const auto &[miner, totals] : m_signed)
    receipts.push_back({{"miner", checksumAddress(miner)},
                        {"epoch", totals.epoch},
                        {"jobs", totals.jobs},
                        {"amount", totals.amount.toDecimal()}});
  return writeFileAtomically(m_receiptsFile, nlohmann::json{{"receipts", receipts}}.dump(1) + "\n");
}

void SessionPayer::raise(Totals &kept, const Totals &seen) {
  if (seen.epoch > kept.epoch || (seen.epoch == kept.epoch && seen.amount > kept.amount))
    kept = seen;
  else if (seen.epoch == kept.epoch && seen.jobs > kept.jobs)
    kept.jobs = seen.jobs;
}

SessionPayer::Totals SessionPayer::earlier(const Address &miner, std::uint64_t epoch) const {
  const auto it = m_earlier.find(miner);
  return it != m_earlier.end() && it->second.epoch == epoch ? it->second : Totals{epoch, 0, U256()};
}

Result<void> SessionPayer::ensureSession(const Address &miner, std::uint64_t jobSeconds,
                                         const U256 &owedAfterJob) {
  std::lock_guard lock(m_mutex);
  const auto fits = [&](const SessionState &s) {
    U256 total; // with what earlier runs signed in this epoch
    U256::addOverflows(earlier(miner, s.epoch).amount, owedAfterJob, total);
    return !s.deposit.isZero() && s.expiresAt > wallClockSeconds() + jobSeconds + kExpirySlack &&
           total <= s.deposit;
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
    U256 shortfall, owedInEpoch;
    U256::addOverflows(earlier(miner, state->epoch).amount, owedAfterJob, owedInEpoch);
    if (U256::subtract(owedInEpoch, state->deposit, shortfall) && shortfall > topUp)
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
  // What the chain settled was signed by some run of this account: never start below it (a lost
  // receipts file would otherwise leave the miner holding newer receipts than ours, forever).
  raise(m_earlier[miner], Totals{state->epoch, state->jobs, state->settled});
  return {};
}

Result<SignedReceipt> SessionPayer::receipt(const Address &miner, std::uint64_t jobs,
                                            const U256 &amount) {
  std::lock_guard lock(m_mutex);
  const auto it = m_known.find(miner);
  if (it == m_known.end())
    return fail(ErrorCode::InvalidInput,
                "no session with miner " + checksumAddress(miner) + " (ensureSession first)");
  const std::uint64_t epoch = it->second.state.epoch;
  Totals total = earlier(miner, epoch);
  total.jobs += jobs;
  U256::addOverflows(total.amount, amount, total.amount);
  // On disk before the miner sees it: after a crash the next run continues from it.
  const auto previous = m_signed.find(miner);
  const std::optional<Totals> before =
      previous == m_signed.end() ? std::nullopt : std::optional<Totals>(previous->second);
  raise(m_signed[miner], total); // threads may ask out of order: the file keeps the largest
  if (auto saved = saveReceipts(); !saved) {
    if (before)
      m_signed[miner] = *before;
    else
      m_signed.erase(miner);
    return saved.error().withContext("keeping the receipt");
  }
  SignedReceipt out;
  out.receipt = PaymentReceipt{address(), miner, epoch, total.jobs, total.amount};
  out.signature =
      m_key.sign(receiptDigest(out.receipt, m_chain.chainId(), m_chain.deployment().sessions));
  return out;
}

U256 SessionPayer::deposited() const {
  std::lock_guard lock(m_mutex);
  return m_deposited;
}

} // namespace nesa::chain
