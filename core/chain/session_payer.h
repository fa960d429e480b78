// The client's side of PayForQuery on an EVM chain: one session per miner on the PaymentSessions
// contract, opened (approve + open) or topped up before a job needs it, and EIP-712 receipts
// signed for the cumulative price of the answers that passed verification.
#pragma once

#include "chain/chain_access.h"
#include "chain/session_desk.h"
#include "util/file_lock.h"

#include <map>
#include <mutex>
#include <optional>

namespace nesa::chain {

/// Pays miners from one account. Thread-safe (its transactions go out one at a time).
class SessionPayer {
public:
  /// What each session locks, and for how long.
  struct Terms {
    U256 deposit = U256(1'000'000); ///< µNES: 1 NES per miner, topped up by as much when used
    std::uint64_t seconds = 3'600;  ///< a session's lifetime
  };

  /// Pays from `key` on `chain` (which must outlive this object); `journal` keeps the
  /// account's unmined transactions across a crash, `receipts` the newest receipt signed for
  /// each miner (empty: memory only).
  SessionPayer(ChainConnection &chain, AccountKey key, Terms terms,
               std::filesystem::path journal = {}, std::filesystem::path receipts = {});

  /// Reads the receipts earlier runs signed: a session outlives a run, and a receipt is
  /// cumulative over the session, so this run's amounts continue from them (a miner holds the
  /// earlier ones and takes only newer). A damaged file is a Corrupt error and is left alone.
  /// One process per paying account at a time, since two would sign overlapping amounts: this
  /// takes a lock beside the receipts file, held until the payer goes (Unavailable when another
  /// process holds it).
  Result<void> loadReceipts();

  /// Makes sure the session with `miner` will still be open `jobSeconds` from now and its
  /// deposit covers `owedAfterJob`; opens, extends or tops it up otherwise.
  Result<void> ensureSession(const Address &miner, std::uint64_t jobSeconds,
                             const U256 &owedAfterJob);
  /// A receipt for `jobs` verified answers costing `amount` µNES in total in this run, on top of
  /// what earlier runs signed in the session's current epoch (ensureSession first); kept in the
  /// receipts file before it is returned.
  Result<SignedReceipt> receipt(const Address &miner, std::uint64_t jobs, const U256 &amount);
  /// The paying account.
  const Address &address() const { return m_key.address(); }
  /// µNES this payer has locked in deposits.
  U256 deposited() const;
  /// The network's contracts.
  const Deployment &deployment() const { return m_chain.deployment(); }
  /// Runs `use` with the paying account's sender (one transaction at a time, nonces in order):
  /// for what else the account sends, such as a dispute report.
  template <typename Use> auto withSender(Use use) {
    std::lock_guard lock(m_mutex);
    return use(m_sender);
  }

private:
  struct Known {
    SessionState state;
  };
  /// A receipt's totals in one epoch.
  struct Totals {
    std::uint64_t epoch = 0;
    std::uint64_t jobs = 0;
    U256 amount;
  };
  /// What earlier runs signed for `miner` in `epoch` (zero for another epoch).
  Totals earlier(const Address &miner, std::uint64_t epoch) const;
  Result<void> saveReceipts() const;
  /// Makes `kept` the later of the two (a newer epoch, else the larger amount and job count).
  static void raise(Totals &kept, const Totals &seen);
  ChainConnection &m_chain;
  AccountKey m_key;
  Transactor m_sender;
  Terms m_terms;
  mutable std::mutex m_mutex;
  std::map<Address, Known> m_known;
  std::filesystem::path m_receiptsFile;
  bool m_receiptsDamaged = false;
  std::optional<FileLock> m_receiptsLock;
  std::map<Address, Totals> m_earlier; ///< the newest receipt of earlier runs, per miner
  std::map<Address, Totals> m_signed;  ///< the newest receipt signed, this run or earlier
  U256 m_deposited;
};

} // namespace nesa::chain
