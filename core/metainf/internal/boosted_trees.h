// Gradient-boosted regression trees through XGBoost's C API (Debian's libxgboost), behind a
// header of ours so nothing else includes XGBoost's.
#pragma once

#include "metainf/internal/learning.h"
#include "util/result.h"

#include <memory>

namespace nesa::metainf::internal {

/// A squared-error XGBoost regressor, single-threaded so that training is deterministic.
class BoostedTrees {
public:
  struct Params {
    int rounds = 200;
    int maxDepth = 6;
    double eta = 0.1;
    double minChildWeight = 1;
    double lambda = 1;
    double subsample = 1;
    std::uint64_t seed = 1;
  };
  BoostedTrees();
  ~BoostedTrees();
  BoostedTrees(BoostedTrees &&) noexcept;
  BoostedTrees &operator=(BoostedTrees &&) noexcept;

  /// Trains on `x` (rows of equal length) and `y`; Internal with XGBoost's message on failure.
  Result<void> fit(const Rows &x, const std::vector<double> &y, const Params &params);
  /// One prediction per row (all 0 before fit).
  std::vector<double> predict(const Rows &x) const;

private:
  struct Booster;
  std::unique_ptr<Booster> m_booster;
};

} // namespace nesa::metainf::internal
