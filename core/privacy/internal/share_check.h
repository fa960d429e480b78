// Verifying a miner's share result without recomputing it (Freivalds' idea), for either arithmetic.
#pragma once

#include "privacy/internal/share_kernels.h"

#include <string>

namespace nesa::privacy {

/// The outcome of checking one share result.
struct CheckOutcome {
  bool passed = false;
  double expected = 0; ///< the check value the client computed (f64: at the worst position)
  double got = 0;      ///< the same value computed from the miner's result
  std::string detail;  ///< one sentence for reports and evidence
};

/// Secret, per-session check data for one remote call. Thread-safe once built.
class ShareCheck {
public:
  virtual ~ShareCheck() = default;
  /// Checks y == chain(x) (+ biases when `withBias`) for one share. `inputBound` is an upper
  /// bound on |x| the caller already knows (f64 only), or 0 to measure it.
  virtual CheckOutcome check(const at::Tensor &x, const at::Tensor &y, bool withBias,
                             double inputBound) const = 0;
};

} // namespace nesa::privacy
