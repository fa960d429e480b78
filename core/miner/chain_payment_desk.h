// The miner's payments on an EVM network: every job must carry its client's signed receipt for
// the answers before it, within a small credit of the work done, in a session that is still open
// when the job ends and whose deposit covers it (chain::SessionDesk checks the contract); the
// newest receipt of each client is settled on the PaymentSessions contract. The newest receipts
// are kept in a file before the job they pay for is served, so a miner killed before settling
// loses nothing: after a restart it settles what the file holds (the contract pays each µNES
// once).
#pragma once

#include "chain/chain_access.h"
#include "chain/session_desk.h"

#include <chrono>
#include <map>
#include <mutex>
#include <optional>

namespace nesa::miner {

/// Receipts of one miner on one EVM network. Thread-safe.
class ChainPaymentDesk {
public:
  /// `self`: the miner's account. A client may owe at most `creditJobs` jobs beyond its newest
  /// receipt (it pays after verifying); a job may run for up to `jobSeconds`. `store` keeps the
  /// newest receipts (empty: memory only).
  ChainPaymentDesk(chain::ChainConnection &chain, const chain::Address &self, int creditJobs = 2,
                   std::uint64_t jobSeconds = 120, std::filesystem::path store = {});

  /// Reads the receipts a previous run kept in the store; a damaged store is a Corrupt error
  /// (nothing is overwritten until it is dealt with). Returns how many were read.
  Result<std::size_t> load();

  /// Admits a job costing `price` µNES paid with `receipt`, with `uploads` µNES owed on top for
  /// bundle bytes the client sent before it; the error says why it is refused.
  Result<void> admit(const chain::SignedReceipt &receipt, std::uint64_t price,
                     std::uint64_t uploads = 0);
  /// Records a receipt sent on its own (after a client's last job).
  Result<void> accept(const chain::SignedReceipt &receipt);
  /// Settles each client's newest receipt that the chain does not have yet; returns the µNES
  /// newly settled. A refusal for one client does not stop the others (the first is returned
  /// once all were tried). Jobs keep being admitted while the transactions are out.
  Result<chain::U256> settleAll(chain::Transactor &sender);
  /// What `client`'s deposit still covers beyond what it owes, by the last reading of its
  /// session (no chain call); nullopt before any reading.
  std::optional<chain::U256> unspent(const chain::Address &client);
  /// µNES in the newest receipts (settled or about to be).
  chain::U256 earned() const;
  /// µNES settled on chain by settleAll.
  chain::U256 settled() const;

private:
  struct Client {
    std::uint64_t epoch = 0;
    chain::U256 owed;   ///< prices of the jobs admitted in this epoch
    chain::U256 newest; ///< the largest receipt accepted in this epoch
    std::optional<chain::SignedReceipt> newestReceipt;
    bool confirmed = false; ///< `epoch` was read from the chain
  };
  /// The signer check every receipt gets, even one for nothing (it names the client).
  Result<void> checkSigner(const chain::SignedReceipt &receipt) const;
  /// Keeps `receipt` when it is newer than what `client` gave before (and in the store), given
  /// the client's session as just read from the chain.
  Result<void> keep(Client &client, const chain::SignedReceipt &receipt,
                    const chain::SessionState &session);
  /// Writes every client's newest receipt to the store.
  Result<void> save() const;
  /// The admission checks against one reading of the session and the chain's time.
  Result<void> admitWith(const chain::SignedReceipt &receipt, std::uint64_t price,
                         std::uint64_t uploads, const chain::SessionState &session,
                         std::uint64_t now);
  /// `client`'s session, read from the chain when `fresh` or when the last reading is old.
  Result<chain::SessionState> sessionOf(const chain::Address &client, bool fresh);
  /// The chain's time: the last block's timestamp plus the time since it was read.
  Result<std::uint64_t> chainTime(bool fresh);

  /// How long a reading of the chain is used before it is read again.
  static constexpr std::chrono::seconds kFresh{2};
  struct Reading {
    chain::SessionState state;
    std::chrono::steady_clock::time_point at;
  };
  std::mutex m_cacheMutex; // guards the readings below
  std::map<chain::Address, Reading> m_sessions;
  std::uint64_t m_chainTime = 0;
  std::optional<std::chrono::steady_clock::time_point> m_timeReadAt;

  chain::ChainConnection &m_chain;
  chain::Address m_self{};
  int m_creditJobs;
  std::uint64_t m_jobSeconds;
  std::filesystem::path m_store;
  bool m_storeDamaged = false;
  mutable std::mutex m_mutex;
  chain::SessionDesk m_desk;
  std::map<chain::Address, Client> m_clients;
  chain::U256 m_settled;
};

} // namespace nesa::miner
