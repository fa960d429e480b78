#include "miner/payer.h"

#include <thread>

namespace nesa::miner {

using namespace std::chrono_literals;

Payer::Payer(std::shared_ptr<ledger::Ledger> ledger, ledger::PublicKey account, Signer sign,
             Terms terms)
    : m_ledger(std::move(ledger)), m_account(account), m_sign(std::move(sign)), m_terms(terms) {}

Result<ledger::Hash> Payer::submitSigned(ledger::Transaction tx) {
  tx.signature = m_sign(tx.signingBytes());
  auto id = m_ledger->submit(tx);
  if (!id)
    return id.error();
  if (auto height = ledger::waitForInclusion(*m_ledger, *id, 60s); !height)
    return height.error();
  return *id;
}

Result<ledger::Hash> Payer::sessionWith(const ledger::KeyHash &miner) {
  std::lock_guard lock(m_mutex);
  if (auto it = m_sessions.find(miner); it != m_sessions.end())
    return it->second;
  auto tx =
      ledger::prepareTransaction(*m_ledger, ledger::TxKind::OpenSession, m_account, m_terms.deposit,
                                 miner, ledger::SessionTerms{m_terms.durationBlocks}.encode());
  if (!tx)
    return tx.error();
  m_chainId = tx->chainId;
  auto id = submitSigned(std::move(*tx));
  if (!id)
    return id.error().withContext("opening a payment session with a miner");
  m_sessions[miner] = *id;
  return *id;
}

Result<ledger::Receipt> Payer::receipt(const ledger::Hash &session, ledger::Amount cumulative) {
  std::string chain;
  {
    std::lock_guard lock(m_mutex);
    chain = m_chainId;
  }
  if (chain.empty()) {
    auto status = m_ledger->status();
    if (!status)
      return status.error();
    chain = status->chainId;
  }
  ledger::Receipt receipt{session, cumulative, {}};
  receipt.clientSignature = m_sign(ledger::Receipt::signedBytes(chain, session, cumulative));
  return receipt;
}

Result<int> Payer::closeExpiredSessions() {
  std::lock_guard lock(m_mutex);
  auto status = m_ledger->status();
  if (!status)
    return status.error();
  int closed = 0;
  for (auto it = m_sessions.begin(); it != m_sessions.end();) {
    auto record = m_ledger->session(it->second);
    if (!record)
      return record.error();
    if (*record && status->height <= (*record)->expiry) {
      ++it;
      continue;
    }
    if (*record) {
      auto tx = ledger::prepareTransaction(*m_ledger, ledger::TxKind::CloseSession, m_account, 0,
                                           {}, ledger::encodeSessionId(it->second));
      if (!tx)
        return tx.error();
      if (auto done = submitSigned(std::move(*tx)); !done)
        return done.error();
      ++closed;
    }
    it = m_sessions.erase(it);
  }
  return closed;
}

std::vector<ledger::Hash> Payer::sessions() const {
  std::lock_guard lock(m_mutex);
  std::vector<ledger::Hash> out;
  for (const auto &[miner, session] : m_sessions)
    out.push_back(session);
  return out;
}

} // namespace nesa::miner
