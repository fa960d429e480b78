// Freivalds checks of share results: a secret random combination of output channels makes
// verifying y = chain(x) cost one small op instead of recomputing the chain.
#pragma once

#include "privacy/internal/share_kernels.h"

#include <string>
#include <vector>

namespace nesa::privacy {

/// The outcome of checking one share result.
struct CheckOutcome {
  bool passed = false;
  double expected = 0; ///< the check value at the worst position (f64: rhs; ring64: as signed)
  double got = 0;      ///< the same position computed from the miner's result
  std::string detail;  ///< one sentence for reports and evidence
};

/// Secret check data for one remote call's chain of ops, in one arithmetic. Build it once per
/// session; the random vectors never leave the client.
class ChainCheck {
public:
  /// f64-masked: `vectors` random combinations with entries ±(1 + u), u uniform in [0, 1), so a
  /// single perturbed element can never be hidden by a tiny coefficient. `chain` is one conv or
  /// any number of linear layers.
  static ChainCheck forF64(const std::vector<const PreparedOp *> &chain, int vectors = 2);
  /// ring64: `vectors` uniformly random field vectors; exact comparison.
  static ChainCheck forField(const PreparedOp &op, int vectors = 1);

  /// Checks y == chain(x) (+ biases when `withBias`) for one share.
  CheckOutcome check(const at::Tensor &x, const at::Tensor &y, bool withBias) const;

private:
  CheckOutcome checkF64(const at::Tensor &x, const at::Tensor &y, bool withBias) const;
  CheckOutcome checkField(const at::Tensor &x, const at::Tensor &y, bool withBias) const;
  at::Tensor combineOutputs(const at::Tensor &y, const at::Tensor &s) const;

  bool m_field = false;
  PreparedOp m_geometry;      ///< the first op's geometry, with groups = 1 for the combined weights
  at::Tensor m_s;             ///< [C_out, k]: f64, or field elements
  at::Tensor m_weights;       ///< combined weights [k, C_in, kernel...] (f64 or field)
  at::Tensor m_absWeights;    ///< f64: |S|ᵀ|W| (for the rounding tolerance)
  at::Tensor m_bias;          ///< [k] combined bias (f64 or field), undefined when none
  double m_absBias = 0;       ///< f64: bound on |combined bias| terms
  std::int64_t m_inner = 0;   ///< multiply-adds per combined output
  double m_gamma = 0;         ///< f64: relative rounding allowance
};

} // namespace nesa::privacy
