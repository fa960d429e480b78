// A miner: serves share jobs for the bundles its clients upload, over the network, ordered by
// what they pay, within limits. On an EVM network it stakes and registers on the MinerRegistry
// contract, settles its clients' receipts on the PaymentSessions contract and serves as a juror
// in disputes. Without a network it serves unpaid jobs (tests, demonstrations).
#pragma once

#include "chain/chain_access.h"
#include "net/endpoint.h"
#include "net/identity.h"
#include "privacy/miner_endpoint.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace nesa::miner {

/// How a miner runs.
struct MinerOptions {
  std::string host = "127.0.0.1"; ///< where to listen
  std::uint16_t port = 0;         ///< 0: any free port
  /// Work for an EVM network: stake and register on its contracts, paid there. The account is
  /// the key in dataDir/chain.key (made on first start).
  std::optional<chain::ChainAccess> chain;
  std::filesystem::path dataDir; ///< identity key and bundle cache
  /// "auto" (a GPU when this build has CUDA and the machine a device, else the CPU), "cpu" or
  /// "cuda" (refused without a usable device).
  std::string backend = "auto";
  int gpuDevice = 0; ///< the CUDA device of the cuda backend
  /// Without `chain`: refuse every job (no network pays), or, off, serve anyone for free (tests
  /// and demonstrations).
  bool requirePayment = true;
  /// Run whole-program jobs (`ee` in one round trip: a client's program, checked against an
  /// allow-list that does not bound its memory, docs/privacy.md). Off by default: they are
  /// refused and clients go call by call.
  bool runClientPrograms = false;
  std::chrono::milliseconds settleEvery{5'000}; ///< how often receipts are settled on chain
  /// The longest a job may take: on an EVM network a session must stay open this long after a
  /// job arrives, or the job is refused (it could not be settled before the client may close).
  std::chrono::seconds jobSeconds{120};
  int threads = 0; ///< compute threads; 0: every core
  int maxConcurrentJobs = 1;
  std::size_t maxQueuedJobs = 256;
  std::size_t maxQueuedBytes = 1ull << 30;
  /// On an EVM network, the largest message a peer may send before it has shown a payment
  /// session with this miner (a small model's bundle and shares, a juror's case); larger ones
  /// need a session whose unspent deposit covers them at pricePerByte.
  std::size_t maxUnpaidMessageBytes = 64u << 20;
  /// What messages from peers without a session may hold at once while they are received.
  std::size_t unpaidReceiveBytes = 256u << 20;
  /// Bytes of bundles kept installed (and in the cache folder); the least recently used are
  /// evicted to make room, and a larger bundle is refused.
  std::size_t maxBundleBytes = 4ull << 30;
  std::uint64_t pricePerQuery = 10; ///< micro-NES per share job
  std::uint64_t pricePerByte = 0;   ///< micro-NES per payload byte
  /// As a juror of a missed-deadline dispute: how long the accused is given to answer the
  /// disputed job before this juror votes guilty.
  std::chrono::milliseconds jurorWait{30'000};
  /// What computes the jobs; empty: this machine's CPU (privacy::LocalMiner). Tests put a
  /// deliberately dishonest one here to check that clients catch it.
  std::shared_ptr<privacy::MinerEndpoint> compute;
};

/// What a miner has done so far.
struct MinerStats {
  std::uint64_t jobsServed = 0;
  std::uint64_t jobsFailed = 0;  ///< jobs it could not compute (bad input, missing bundle)
  std::uint64_t jobsRefused = 0; ///< turned away: paused, busy or stopping
  std::uint64_t feesOffered = 0; ///< micro-NES offered by the jobs it served
  double computeMs = 0;
  std::size_t queued = 0;
  std::size_t bundles = 0;
  bool paused = false;
  bool registered = false;   ///< listed on the MinerRegistry contract
  bool onChain = false;      ///< staked and registered there
  std::uint64_t earned = 0;  ///< micro-NES in valid receipts (settled or about to be)
  std::uint64_t settled = 0; ///< micro-NES in receipts settled on chain
};

/// A running miner. Stops cleanly when destroyed.
class MinerService {
public:
  static Result<std::unique_ptr<MinerService>> start(MinerOptions options);
  ~MinerService();
  MinerService(const MinerService &) = delete;
  MinerService &operator=(const MinerService &) = delete;

  std::uint16_t port() const;
  const net::PublicKey &identity() const;
  /// "cpu (2 threads)" or "cuda (NVIDIA H100, device 0)"
  const std::string &backend() const;
  /// The EVM account it stakes, registers and is paid with ("" without MinerOptions::chain).
  std::string chainAccount() const;
  MinerStats stats() const;
  /// Turns away new jobs (running and queued ones finish).
  void pause();
  void resume();
  /// Stops serving: waiting jobs are answered with an error, running ones finish.
  void stop();

  struct State;

private:
  explicit MinerService(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace nesa::miner
