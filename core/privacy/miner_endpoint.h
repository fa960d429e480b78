// The engine's view of a miner: something that holds bundles and computes share jobs.
#pragma once

#include "model/linear_bundle.h"
#include "privacy/rounding_allowance.h"
#include "privacy/share_job.h"
#include "util/result.h"

#include <memory>
#include <string>

namespace nesa::privacy {

/// A miner the engine can send share jobs to: in this process (LocalMiner) or, through the
/// network layer, in another one. Implementations must be safe to call from several threads.
class MinerEndpoint {
public:
  virtual ~MinerEndpoint() = default;
  /// A stable name for reports and evidence.
  virtual const std::string &id() const = 0;
  /// Makes `bundle` available to later jobs (a no-op when the miner already has it).
  virtual Result<void> installBundle(const model::LinearBundle &bundle,
                                     const std::string &bundleId) = 0;
  /// installBundle for a bundle this process already holds: a miner in this process keeps
  /// `bundle` itself instead of a copy (a language model's is gigabytes), so the bundle must
  /// not change while installed; others copy it.
  virtual Result<void> installShared(std::shared_ptr<const model::LinearBundle> bundle,
                                     const std::string &bundleId) {
    if (!bundle)
      return fail(ErrorCode::InvalidInput, "no bundle to install");
    return installBundle(*bundle, bundleId);
  }
  /// Forgets `bundleId` (a miner's bundle cache evicts it); jobs already running keep it.
  virtual void uninstallBundle(const std::string &bundleId) { (void)bundleId; }
  /// Computes one share job.
  virtual Result<ShareReply> compute(const ShareJob &job) = 0;
  /// For a float64 job, how much rounding an honest answer may carry (what a juror allows);
  /// Unavailable where the endpoint cannot tell.
  virtual Result<RoundingScale> roundingScale(const ShareJob &job) {
    (void)job;
    return fail(ErrorCode::Unavailable, "this miner cannot bound an answer's rounding");
  }
  /// Called after the engine checked the answer to this endpoint's last compute(): a miner that
  /// is paid per verified answer counts it (or not) here.
  virtual void reportCheck(bool passed) { (void)passed; }
  /// True when the miner computes on this machine's own cores (an in-process miner): then
  /// running several of its jobs in parallel with the client only makes them compete.
  virtual bool sharesThisMachine() const { return false; }
};

} // namespace nesa::privacy
