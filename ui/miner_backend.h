// The miner page's view of the product: is this computer's miner running, what has it done and
// earned, and turning it on or off. The app implements it with the `nesa miner` commands
// (app/desktop/process_miner_backend.h); tests with fakes. Every call may block.
#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>

namespace nesa::ui {

/// What the miner reports about itself.
struct MinerStatus {
  bool running = false;
  QString backend;         ///< "cpu" or "cuda"
  QString account;         ///< its account on the chain, "0x…"
  bool registered = false; ///< the MinerRegistry contract lists it
  bool onChain = false;    ///< the miner has staked and registered (it says so itself)
  std::int64_t served = 0, failed = 0, refused = 0, queued = 0;
  std::int64_t earned = 0;     ///< µNES for verified answers
  std::int64_t settled = 0;    ///< µNES of that already settled on chain
  bool paused = false;         ///< waiting for the computer to be idle
  bool ledgerKnown = false;    ///< staked and reputation below were read from the chain
  std::int64_t staked = 0;     ///< µNES the miner's account has at stake
  std::int64_t reputation = 0; ///< paid work minus proven faults, as the registry counts it
  QString error;               ///< why the status could not be read (when running)
};

/// How the miner is started.
struct MinerStartOptions {
  int threads = 0;                          ///< compute threads; 0 = every core
  QString backend = QStringLiteral("auto"); ///< "auto", "cpu" or "cuda"
  bool onlyWhenIdle = false;                ///< pause while other programs keep the processor busy
  int maxJobs = 1;                          ///< jobs computed at the same time
};

/// The product behind the miner page.
class MinerBackend {
public:
  virtual ~MinerBackend() = default;
  virtual MinerStatus status() = 0;
  /// Starts the miner; "" or a reason.
  virtual QString start(const MinerStartOptions &options) = 0;
  /// The GPUs this computer has ("0: NVIDIA H100 80GB HBM3, 81559 MiB, compute 9.0").
  virtual QStringList gpus() = 0;
  /// Stops it; "" or a reason.
  virtual QString stop() = 0;
};

/// One plain sentence on why the miner is or is not earning.
QString minerExplanation(const MinerStatus &status);

} // namespace nesa::ui
