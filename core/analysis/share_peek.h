// "What the miners saw": a miner endpoint that passes every job on unchanged and keeps a copy
// of the first share that carries data (the first call's input as one miner received it), so
// the user can look at it next to the original.
#pragma once

#include "privacy/miner_endpoint.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace nesa::analysis {

/// Shared by the peeks of one run: the first share seen is written to `file` (.npy).
struct ShareCopy {
  std::filesystem::path file;
  std::mutex mutex;
  bool written = false;
};

/// Wraps `inner`; the first job with a data share (not a seed) is written to copy->file.
class SharePeek : public privacy::MinerEndpoint {
public:
  SharePeek(std::shared_ptr<privacy::MinerEndpoint> inner, std::shared_ptr<ShareCopy> copy)
      : m_inner(std::move(inner)), m_copy(std::move(copy)) {}

  const std::string &id() const override { return m_inner->id(); }
  Result<void> installBundle(const model::LinearBundle &bundle,
                             const std::string &bundleId) override {
    return m_inner->installBundle(bundle, bundleId);
  }
  Result<void> installShared(std::shared_ptr<const model::LinearBundle> bundle,
                             const std::string &bundleId) override {
    return m_inner->installShared(std::move(bundle), bundleId);
  }
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override;
  void reportCheck(bool passed) override { m_inner->reportCheck(passed); }
  bool sharesThisMachine() const override { return m_inner->sharesThisMachine(); }

private:
  std::shared_ptr<privacy::MinerEndpoint> m_inner;
  std::shared_ptr<ShareCopy> m_copy;
};

/// Every miner of `miners` wrapped in a peek that writes the first data share to `file`.
std::vector<std::shared_ptr<privacy::MinerEndpoint>>
peekAtShares(const std::vector<std::shared_ptr<privacy::MinerEndpoint>> &miners,
             const std::filesystem::path &file);

} // namespace nesa::analysis
