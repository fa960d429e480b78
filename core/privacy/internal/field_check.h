// The exact check of ring64 share results: one random probe r of the output's shape, and
// ⟨y, r⟩ = ⟨x, Wᵀr⟩ (+ ⟨b, r⟩) in Z/p.
#pragma once

#include "privacy/internal/share_check.h"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace nesa::privacy {

/// Over a field, one uniformly random probe misses a wrong result with probability 1/p
/// (p = 2^61 − 1) whatever the error, and the check costs two dot products: O(|x| + |y|). The
/// probe and Wᵀr are drawn and computed once per session and input shape.
class FieldCheck : public ShareCheck {
public:
  explicit FieldCheck(const PreparedOp &op) : m_op(op) {}

  CheckOutcome check(const at::Tensor &x, const at::Tensor &y, bool withBias,
                     double inputBound) const override;

private:
  struct Probe {
    std::vector<std::int64_t> outputShape;
    at::Tensor r;               ///< uniform field elements, the output's shape
    at::Tensor adjoint;         ///< Wᵀr: the input's shape
    std::uint64_t biasTerm = 0; ///< ⟨b, r⟩ summed over positions
  };
  std::shared_ptr<const Probe> probeFor(at::IntArrayRef inputShape) const;

  PreparedOp m_op;
  mutable std::mutex m_mutex;
  mutable std::map<std::vector<std::int64_t>, std::shared_ptr<const Probe>> m_probes;
};

/// Σ a_i·b_i mod p for field-element tensors of the same number of elements.
std::uint64_t fieldDot(const at::Tensor &a, const at::Tensor &b);

} // namespace nesa::privacy
