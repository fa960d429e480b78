#include "analysis/share_peek.h"

#include "model/npy.h"
#include "util/log.h"

namespace nesa::analysis {

Result<privacy::ShareReply> SharePeek::compute(const privacy::ShareJob &job) {
  if (job.input) {
    std::lock_guard lock(m_copy->mutex);
    if (!m_copy->written) {
      m_copy->written = true;
      if (auto saved = model::writeNpy(m_copy->file, *job.input); !saved)
        log::warn("the share could not be kept for display: " + saved.error().message);
    }
  }
  return m_inner->compute(job);
}

std::vector<std::shared_ptr<privacy::MinerEndpoint>>
peekAtShares(const std::vector<std::shared_ptr<privacy::MinerEndpoint>> &miners,
             const std::filesystem::path &file) {
  auto copy = std::make_shared<ShareCopy>();
  copy->file = file;
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> peeks;
  for (const auto &miner : miners)
    peeks.push_back(std::make_shared<SharePeek>(miner, copy));
  return peeks;
}

} // namespace nesa::analysis
