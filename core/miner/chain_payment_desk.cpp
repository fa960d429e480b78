#include "miner/chain_payment_desk.h"

#include "util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <optional>

namespace nesa::miner {

using chain::U256;

namespace {
Error refused(const std::string &why) {
  return fail(ErrorCode::InvalidInput, "payment refused: " + why);
}
} // namespace

ChainPaymentDesk::ChainPaymentDesk(chain::ChainConnection &chain, const chain::Address &self,
                                   int creditJobs, std::uint64_t jobSeconds,
                                   std::filesystem::path store)
    : m_chain(chain), m_self(self), m_creditJobs(creditJobs), m_jobSeconds(jobSeconds),
      m_store(std::move(store)),
      m_desk(chain.rpc(), chain.contracts().sessions, self, chain.chainId()) {}

Result<std::size_t> ChainPaymentDesk::load() {
  std::lock_guard lock(m_mutex);
  std::error_code ec;
  if (m_store.empty() || !std::filesystem::exists(m_store, ec))
    return std::size_t{0};
  const auto damaged = [this](const std::string &why) {
    m_storeDamaged = true;
    return fail(ErrorCode::Corrupt, m_store.string() + " (the receipts not yet settled) " + why +
                                        "; move it away to start without them");
  };
  std::ifstream in(m_store);
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_object() || !json.contains("receipts") || !json["receipts"].is_array())
    return damaged("is not a receipts file");
  std::size_t read = 0;
  for (const auto &entry : json["receipts"]) {
    auto bytes = entry.is_string() ? chain::fromHex(entry.get<std::string>())
                                   : Result<chain::Bytes>(fail(ErrorCode::Corrupt, "not text"));
    auto receipt =
        bytes ? chain::decodeSignedReceipt(*bytes) : Result<chain::SignedReceipt>(bytes.error());
    if (!receipt || checkSigner(*receipt).ok() == false)
      return damaged("holds a receipt that is not one of this miner's");
    Client &client = m_clients[receipt->receipt.client];
    client.epoch = receipt->receipt.epoch;
    client.confirmed = true; // it was checked against the chain when it came
    client.newest = client.owed = receipt->receipt.amount;
    client.newestReceipt = *receipt;
    ++read;
  }
  return read;
}

Result<void> ChainPaymentDesk::save() const {
  if (m_store.empty())
    return {};
  if (m_storeDamaged)
    return fail(ErrorCode::Corrupt, m_store.string() + " is damaged; not overwriting it");
  nlohmann::json receipts = nlohmann::json::array();
  for (const auto &[address, client] : m_clients)
    if (client.newestReceipt)
      receipts.push_back(chain::toHex(chain::encodeSignedReceipt(*client.newestReceipt)));
  return writeFileAtomically(m_store, nlohmann::json{{"receipts", receipts}}.dump(1) + "\n");
}

Result<void> ChainPaymentDesk::checkSigner(const chain::SignedReceipt &r) const {
  if (r.receipt.miner != m_self)
    return refused("the receipt is for another miner");
  auto signer = chain::recoverSigner(
      chain::receiptDigest(r.receipt, m_chain.chainId(), m_chain.deployment().sessions),
      r.signature);
  if (!signer || *signer != r.receipt.client)
    return refused("the receipt is not signed by its client");
  return {};
}

Result<void> ChainPaymentDesk::keep(Client &client, const chain::SignedReceipt &r,
                                    const chain::SessionState &session) {
  // The epoch moves only when the chain says so: naming another epoch must not wipe what a
  // client owes, nor an unsettled receipt.
  if (r.receipt.epoch != session.epoch)
    return refused("the receipt is for session epoch " + std::to_string(r.receipt.epoch) +
                   ", the session is in " + std::to_string(session.epoch));
  if (client.confirmed && session.epoch < client.epoch)
    return refused("the session changed while the job was checked; send it again");
  if (!client.confirmed || client.epoch != session.epoch) {
    if (client.confirmed)
      client = Client{}; // closed and reopened on chain: the old epoch's receipts died with it
    client.epoch = session.epoch;
    client.confirmed = true;
  }
  if (r.receipt.amount <= client.newest)
    return {}; // an older or equal promise: nothing new to keep (jobs may arrive out of order)
  if (auto accepted = m_desk.acceptReceipt(r.receipt, r.signature, session); !accepted)
    return refused(accepted.error().message);
  const auto previous = client.newestReceipt;
  client.newest = r.receipt.amount;
  client.newestReceipt = r;
  // Kept on disk before the job it pays for is served: a receipt only in memory dies with us.
  if (auto saved = save(); !saved) {
    client.newestReceipt = previous;
    client.newest = previous ? previous->receipt.amount : U256();
    return saved.error().withContext("keeping the receipt");
  }
  return {};
}

Result<chain::SessionState> ChainPaymentDesk::sessionOf(const chain::Address &client, bool fresh) {
  const auto now = std::chrono::steady_clock::now();
  if (!fresh) {
    std::lock_guard lock(m_cacheMutex);
    if (auto it = m_sessions.find(client); it != m_sessions.end() && now - it->second.at < kFresh)
      return it->second.state;
  }
  auto state = chain::readSession(m_chain.rpc(), m_chain.contracts().sessions, client, m_self);
  if (!state)
    return state.error();
  std::lock_guard lock(m_cacheMutex);
  if (state->deposit.isZero())
    m_sessions.erase(client); // no session: nothing worth remembering (anyone can ask)
  else
    m_sessions[client] = {*state, now};
  return state;
}

Result<std::uint64_t> ChainPaymentDesk::chainTime(bool fresh) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(m_cacheMutex);
    if (!fresh && m_timeReadAt && now - *m_timeReadAt < kFresh)
      return m_chainTime +
             static_cast<std::uint64_t>(
                 std::chrono::duration_cast<std::chrono::seconds>(now - *m_timeReadAt).count());
  }
  auto read = m_chain.rpc().latestTimestamp();
  if (!read)
    return read.error();
  std::lock_guard lock(m_cacheMutex);
  m_chainTime = *read;
  m_timeReadAt = now;
  return read;
}

Result<void> ChainPaymentDesk::admit(const chain::SignedReceipt &r, std::uint64_t price,
                                     std::uint64_t uploads) {
  if (auto ok = checkSigner(r); !ok)
    return ok;
  // The session and the chain's time are read at most every few seconds, outside the lock. (The
  // chain's time is estimated as the last block's plus the seconds since: a dev chain whose clock
  // is pushed forward, as tests do, is seen up to two seconds late.) A
  // reading that is a little old can only refuse wrongly, never admit wrongly: within an epoch
  // a deposit only grows and an expiry only moves later, and a session this job could outlive
  // cannot be closed meanwhile. So a refusal is checked again against fresh readings.
  Result<void> outcome;
  for (const bool fresh : {false, true}) {
    auto session = sessionOf(r.receipt.client, fresh);
    if (!session)
      return session.error();
    auto now = chainTime(fresh);
    if (!now)
      return now.error();
    outcome = admitWith(r, price, uploads, *session, *now);
    if (outcome || outcome.error().code != ErrorCode::InvalidInput)
      return outcome; // only a refusal may be the stale reading's fault
  }
  return outcome;
}

Result<void> ChainPaymentDesk::admitWith(const chain::SignedReceipt &r, std::uint64_t price,
                                         std::uint64_t uploads, const chain::SessionState &session,
                                         std::uint64_t now) {
  std::lock_guard lock(m_mutex);
  Client &client = m_clients[r.receipt.client];
  if (auto kept = keep(client, r, session); !kept)
    return kept;
  U256 allowed, credit;
  U256::mulOverflows(U256(price), U256(static_cast<std::uint64_t>(m_creditJobs)), credit);
  U256::addOverflows(client.newest, credit, allowed);
  if (client.owed > allowed)
    return refused("earlier jobs are not paid for (owed " + client.owed.toDecimal() +
                   " µNES, newest receipt " + client.newest.toDecimal() + ")");
  U256 owedAfter; // the upload is owed from this job on, like a job's price
  if (U256::addOverflows(client.owed, U256(price), owedAfter) ||
      U256::addOverflows(owedAfter, U256(uploads), owedAfter))
    return refused("the amount owed overflows");
  if (auto admitted = m_desk.admitJob(r.receipt.client, session, now, owedAfter, m_jobSeconds);
      !admitted)
    return refused(admitted.error().message);
  client.owed = owedAfter;
  return {};
}

Result<void> ChainPaymentDesk::accept(const chain::SignedReceipt &r) {
  if (auto ok = checkSigner(r); !ok)
    return ok;
  auto session = sessionOf(r.receipt.client, true);
  if (!session)
    return session.error();
  if (session->deposit.isZero())
    return refused(chain::checksumAddress(r.receipt.client) +
                   " has no open session with this miner");
  std::lock_guard lock(m_mutex);
  return keep(m_clients[r.receipt.client], r, *session);
}

std::optional<U256> ChainPaymentDesk::unspent(const chain::Address &client) {
  chain::SessionState session;
  {
    std::lock_guard lock(m_cacheMutex);
    const auto it = m_sessions.find(client);
    if (it == m_sessions.end())
      return std::nullopt;
    session = it->second.state;
  }
  std::lock_guard lock(m_mutex);
  const auto it = m_clients.find(client);
  const U256 owed =
      it != m_clients.end() && it->second.epoch == session.epoch ? it->second.owed : U256();
  U256 left;
  if (!U256::subtract(session.deposit, owed, left))
    return U256(); // owes more than the deposit: nothing is unspent
  return left;
}

Result<U256> ChainPaymentDesk::settleAll(chain::Transactor &sender) {
  std::vector<chain::SignedReceipt> newest;
  {
    std::lock_guard lock(m_mutex);
    for (const auto &[client, state] : m_clients)
      if (state.newestReceipt)
        newest.push_back(*state.newestReceipt);
  }
  const chain::Contract &sessions = m_chain.contracts().sessions;
  U256 total;
  std::optional<Error> first;
  for (const auto &r : newest) {
    const auto &client = r.receipt.client;
    auto session = chain::readSession(m_chain.rpc(), sessions, client, m_self);
    if (session && (r.receipt.epoch != session->epoch || r.receipt.amount <= session->settled))
      continue; // already on chain (after a restart), or the session moved on
    auto sent = session ? sessions.send(sender, "settle",
                                        {chain::abi::Value::address(client),
                                         chain::abi::Value::uint(r.receipt.jobs),
                                         chain::abi::Value::uint(r.receipt.amount),
                                         chain::abi::Value::bytes(r.signature.toRsv())})
                        : Result<chain::Sent>(session.error());
    if (!sent) {
      if (!first)
        first = sent.error().withContext("settling with " + chain::checksumAddress(client));
      continue;
    }
    U256 delta;
    U256::subtract(r.receipt.amount, session->settled, delta);
    U256::addOverflows(total, delta, total);
  }
  {
    std::lock_guard lock(m_mutex);
    U256::addOverflows(m_settled, total, m_settled);
  }
  if (first)
    return *first;
  return total;
}

U256 ChainPaymentDesk::earned() const {
  std::lock_guard lock(m_mutex);
  U256 total;
  for (const auto &[client, state] : m_clients)
    U256::addOverflows(total, state.newest, total);
  return total;
}

U256 ChainPaymentDesk::settled() const {
  std::lock_guard lock(m_mutex);
  return m_settled;
}

} // namespace nesa::miner
