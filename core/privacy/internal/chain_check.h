// Freivalds checks of f64-masked and f32 share results: a secret random combination of output
// channels makes verifying y = chain(x) cost one single-output op instead of recomputing the chain.
#pragma once

#include "privacy/internal/share_check.h"

#include <vector>

namespace nesa::privacy {

/// Secret check data for one remote call's chain of ops in float64. Build it once per session;
/// the random vectors never leave the client.
class ChainCheck : public ShareCheck {
public:
  /// `vectors` random combinations of output channels with entries ±(1 + u), u uniform in
  /// [0, 1), so a perturbed element can never hide behind a tiny coefficient. `chain` is one
  /// convolution or any number of linear layers.
  static ChainCheck forF64(const std::vector<const PreparedOp *> &chain, int vectors = 1);
  /// The same for results computed in float32 (the ee level's calls): the check runs in float32
  /// too, and its allowance covers float32's rounding on both sides.
  static ChainCheck forF32(const std::vector<const PreparedOp *> &chain, int vectors = 1);

  CheckOutcome check(const at::Tensor &x, const at::Tensor &y, bool withBias,
                     double inputBound) const override;

private:
  at::Tensor combineOutputs(const at::Tensor &y) const;
  /// The float32 verdict: lhs = Sᵀy and rhs = (SᵀW)∗x compared within an allowance per position.
  CheckOutcome checkPerPosition(const at::Tensor &x, const at::Tensor &lhs, const at::Tensor &rhs,
                                bool withBias) const;

  PreparedOp m_geometry;   ///< the first op's geometry, with groups = 1 for the combined weights
  at::Tensor m_s;          ///< [C_out, k]
  at::Tensor m_weights;    ///< combined weights [k, C_in, kernel...]
  double m_weightMass = 0; ///< f64: largest row sum of |S|ᵀ|W| (for the rounding tolerance)
  double m_sMass = 0;      ///< f64: largest column sum of |S|
  double m_gain = 0;       ///< f64: largest row sum of |W_L|···|W_1|: |y| ≤ gain·|x| + bias
  at::Tensor m_bias;       ///< [k] combined bias, undefined when none
  double m_absBias = 0;    ///< f64: bound on |combined bias| terms
  double m_gamma = 0;      ///< f64: relative rounding allowance
  bool m_float32 = false;  ///< results are float32 (forF32)
  PreparedOp m_magnitudes; ///< the geometry with weights |S|ᵀ|W| (float32 allowance per position)
};

} // namespace nesa::privacy
