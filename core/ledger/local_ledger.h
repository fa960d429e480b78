// The embedded chain as a running service: an EmbeddedLedger behind a lock, with a thread that
// produces a block at a fixed interval. What the node serves to clients and miners.
#pragma once

#include "ledger/embedded_ledger.h"
#include "ledger/ledger.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace nesa::ledger {

/// A thread-safe Ledger over an EmbeddedLedger that makes blocks on its own.
class LocalLedger : public Ledger {
public:
  /// Takes over `chain` and produces a block every `blockInterval` (also when empty, so that
  /// unbonding, votes and sessions advance with time).
  LocalLedger(EmbeddedLedger chain, std::chrono::milliseconds blockInterval);
  /// Stops producing blocks (the last one is complete: blocks commit atomically).
  ~LocalLedger() override;
  LocalLedger(const LocalLedger &) = delete;
  LocalLedger &operator=(const LocalLedger &) = delete;

  Result<Hash> submit(const Transaction &tx) override;
  Result<AccountView> account(const KeyHash &id) override;
  Result<LedgerStatus> status() override;
  Result<std::optional<SessionRecord>> session(const Hash &id) override;
  Result<std::vector<ProposalView>> proposals() override;
  Result<std::vector<LedgerMiner>> miners() override;
  Result<std::vector<TxRecord>> history(const KeyHash &id, std::size_t limit) override;
  Result<std::uint64_t> inclusionHeight(const Hash &id) override;

  /// Makes a block now (tests); returns its height.
  Result<std::uint64_t> produceBlockNow();

private:
  void produce();

  EmbeddedLedger m_chain;
  std::chrono::milliseconds m_interval;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_stopping = false;
  std::thread m_producer;
};

} // namespace nesa::ledger
