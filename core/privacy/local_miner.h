// A miner inside this process: the compute half of a real miner, without the network.
#pragma once

#include "privacy/miner_endpoint.h"

#include <map>
#include <memory>
#include <mutex>

namespace nesa::privacy {

/// Sets how many threads libtorch/BLAS use for this process's computations (0: every core);
/// returns the number now in use.
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
  void uninstallBundle(const std::string &bundleId) override;
  Result<ShareReply> compute(const ShareJob &job) override;
  bool sharesThisMachine() const override { return true; }

private:
  struct Installed;
  std::shared_ptr<Installed> find(const std::string &bundleId);

  std::string m_id;
  int m_gpuDevice = -1;
  std::mutex m_mutex;
  std::map<std::string, std::shared_ptr<Installed>> m_bundles;
};

} // namespace nesa::privacy
