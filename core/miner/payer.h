// The client's side of PayForQuery: one session per miner, opened on first use by locking a
// deposit on the ledger, and cumulative receipts signed for the answers that passed verification.
#pragma once

#include "ledger/ledger.h"
#include "ledger/payloads.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace nesa::miner {

/// Pays miners from one ledger account. Thread-safe.
class Payer {
public:
  /// Signs bytes with the paying account's key (a wallet account, or the devnet demo key).
  using Signer = std::function<std::array<std::uint8_t, 64>(std::span<const std::uint8_t>)>;

  /// How much each session locks, and for how long.
  struct Terms {
    ledger::Amount deposit = 1'000'000; ///< 1 NES per miner
    std::uint64_t durationBlocks = 600;
  };

  Payer(std::shared_ptr<ledger::Ledger> ledger, ledger::PublicKey account, Signer sign,
        Terms terms);

  /// The open session with `miner`, opening one (and waiting for its block) the first time.
  Result<ledger::Hash> sessionWith(const ledger::KeyHash &miner);
  /// A receipt saying that `cumulative` is owed in total in `session`.
  Result<ledger::Receipt> receipt(const ledger::Hash &session, ledger::Amount cumulative);
  /// Closes this payer's sessions that have expired, refunding what was not paid; returns how
  /// many were closed.
  Result<int> closeExpiredSessions();
  /// Every session this payer opened that it has not closed.
  std::vector<ledger::Hash> sessions() const;
  ledger::Ledger &ledger() { return *m_ledger; }
  const ledger::PublicKey &account() const { return m_account; }

private:
  Result<ledger::Hash> submitSigned(ledger::Transaction tx);

  std::shared_ptr<ledger::Ledger> m_ledger;
  ledger::PublicKey m_account;
  Signer m_sign;
  Terms m_terms;
  mutable std::mutex m_mutex; // one transaction at a time: nonces come in order
  std::string m_chainId;
  std::map<ledger::KeyHash, ledger::Hash> m_sessions;
};

} // namespace nesa::miner
