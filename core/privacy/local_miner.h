// A miner inside this process: the compute half of a real miner, without the network.
#pragma once

#include "privacy/miner_endpoint.h"

#include <map>
#include <memory>
#include <mutex>

namespace nesa::privacy {

/// Sets how many threads libtorch/BLAS use for this process's computations; returns the number
/// now in use. 0: OMP_NUM_THREADS when it holds a positive count, else every core. Programs
/// that compute call it first (miners with their --threads, nesa-analyze and nesa-bench with 0):
/// libtorch's own default can be too few (one thread on a two-core virtual machine).
int setComputeThreads(int threads);

/// Computes share jobs on this machine's CPU with libtorch/BLAS. Thread-safe.
class LocalMiner : public MinerEndpoint {
public:
  /// `gpuDevice` ≥ 0 computes the products on that CUDA device (the rest stays on the CPU).
  explicit LocalMiner(std::string id, int gpuDevice = -1);
  ~LocalMiner() override;

  const std::string &id() const override { return m_id; }
  Result<void> installBundle(const model::LinearBundle &bundle,
                             const std::string &bundleId) override;
  /// Keeps `bundle` itself; its prepared ops are shared with the engine of this process. It is
  /// hashed against `bundleId` unless this process shares it under that id already
  /// (model::shareInProcess: whoever registered it checked or computed the id).
  Result<void> installShared(std::shared_ptr<const model::LinearBundle> bundle,
                             const std::string &bundleId) override;
  void uninstallBundle(const std::string &bundleId) override;
  Result<ShareReply> compute(const ShareJob &job) override;
  /// Σ|w|·|x| (+|b|) through the job's ops, and the worst-case rounding of float64 sums of that
  /// many terms in any order (Higham: (K + 2)·2⁻⁵³ per op of inner size K).
  Result<RoundingScale> roundingScale(const ShareJob &job) override;
  bool sharesThisMachine() const override { return true; }

private:
  struct Installed;
  std::shared_ptr<Installed> find(const std::string &bundleId);
  /// The job's ops applied to its share; with `absolute`, |ops| applied to |share| instead
  /// (float64 jobs only). Sets `inner` to the ops' summed inner sizes.
  Result<model::TensorData> apply(const ShareJob &job, bool absolute, std::int64_t &inner);
  /// A whole program's job (ShareJob::wholeProgram): the bundle's client program on its input.
  Result<ShareReply> runWholeProgram(const ShareJob &job);

  std::string m_id;
  int m_gpuDevice = -1;
  std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<Installed>> m_bundles;
};

} // namespace nesa::privacy
