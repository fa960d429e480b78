#include "privacy/internal/chain_check.h"

#include "util/secure_buffer.h"

#include <ATen/ATen.h>
#include <sodium.h>

#include <cmath>
#include <sstream>

namespace nesa::privacy {
namespace {

// [C_out, k] doubles ±(1 + u), u on the multiples of 2⁻²³: exactly float32 values, so a float32
// check combines with the same S as its float64 weights were.
at::Tensor randomSigns(std::int64_t rows, int k) {
  (void)ensureSodium();
  auto s = at::empty({rows, k}, at::kDouble);
  double *d = s.data_ptr<double>();
  for (std::int64_t i = 0; i < s.numel(); ++i) {
    const std::uint32_t bits = randombytes_random();
    const double magnitude = 1.0 + static_cast<double>(bits >> 9) * 0x1p-23;
    d[i] = (bits & 1) ? magnitude : -magnitude;
  }
  return s;
}

// Σ_c S[c, k] · W[c, ...] with the groups of a convolution expanded, so the result is a
// groups = 1 weight [k, C_in, kernel...]. f64 version.
at::Tensor combineWeightsF64(const at::Tensor &w, const at::Tensor &s, std::int64_t groups) {
  const auto out = w.size(0), perGroup = out / groups, k = s.size(1);
  auto wg = w.reshape({groups, perGroup, -1});          // [g, o, cin_g·kern]
  auto sg = s.reshape({groups, perGroup, k});           // [g, o, k]
  auto combined = at::einsum("gok,goi->kgi", {sg, wg}); // [k, g, cin_g·kern]
  std::vector<std::int64_t> shape{k, w.size(1) * groups};
  for (std::int64_t d = 2; d < w.dim(); ++d)
    shape.push_back(w.size(d));
  // [k, g, cin_g, kern...] -> [k, g·cin_g, kern...]
  return combined.reshape(shape);
}

} // namespace

ChainCheck ChainCheck::forF64(const std::vector<const PreparedOp *> &chain, int vectors) {
  TORCH_CHECK(!chain.empty(), "a check needs at least one op");
  ChainCheck check;
  const PreparedOp &first = *chain.front();
  check.m_geometry = first;
  check.m_geometry.groups = 1;
  at::Tensor weight = first.weight, absWeight = first.weight.abs();
  at::Tensor bias = first.bias, absBias = first.bias.defined() ? first.bias.abs() : at::Tensor();
  std::int64_t innerTotal = first.inner;
  for (std::size_t i = 1; i < chain.size(); ++i) {
    const PreparedOp &op = *chain[i];
    TORCH_CHECK(op.kind == model::LinearKind::Linear && first.kind == model::LinearKind::Linear,
                "only linear layers are chained");
    weight = at::mm(op.weight, weight);
    absWeight = at::mm(op.weight.abs(), absWeight);
    if (bias.defined()) {
      bias = at::mv(op.weight, bias);
      absBias = at::mv(op.weight.abs(), absBias);
    }
    if (op.bias.defined()) {
      bias = bias.defined() ? bias + op.bias : op.bias.clone();
      absBias = absBias.defined() ? absBias + op.bias.abs() : op.bias.abs();
    }
    innerTotal += op.inner;
  }
  check.m_s = randomSigns(weight.size(0), vectors);
  check.m_weights = combineWeightsF64(weight, check.m_s, first.groups);
  const auto absCombined = combineWeightsF64(absWeight, check.m_s.abs(), first.groups);
  check.m_magnitudes = check.m_geometry;
  check.m_magnitudes.weight = absCombined;
  check.m_weightMass = absCombined.reshape({vectors, -1}).sum(1).max().item<double>();
  check.m_sMass = check.m_s.abs().sum(0).max().item<double>();
  check.m_gain = absWeight.reshape({absWeight.size(0), -1}).sum(1).max().item<double>();
  if (bias.defined()) {
    check.m_bias = at::mv(check.m_s.t(), bias);
    check.m_absBias = at::mv(check.m_s.abs().t(), absBias).max().item<double>();
  }
  // The float64 rounding allowance for both sides. The worst case of a dot product of n terms
  // is n·eps·Σ|terms|, but the summation error of a real BLAS behaves like a random walk,
  // √n·eps·Σ|terms| (Higham's rule of thumb); with 8√n, honest results stay thousands of times
  // below the allowance in the tests. Chains compound, so every op's inner size counts.
  check.m_gamma = 8.0 * std::sqrt(static_cast<double>(innerTotal + weight.size(0) + 8)) *
                  static_cast<double>(chain.size()) * std::ldexp(1.0, -52);
  return check;
}

ChainCheck ChainCheck::forF32(const std::vector<const PreparedOp *> &chain, int vectors) {
  auto check = forF64(chain, vectors);
  // float32 keeps 23 bits where float64 keeps 52; twice that, because the check itself runs in
  // float32 too (a float64 check of a scan's activations cost more than the miner's work).
  check.m_gamma *= 2 * std::ldexp(1.0, 52 - 23);
  check.m_float32 = true;
  check.m_s = check.m_s.to(at::kFloat);
  // The combined geometry carries the combined weights in both types (a GPU scope computes
  // applyF32 from the float64 ones).
  check.m_geometry.weight = check.m_weights;
  check.m_geometry.bias = check.m_bias;
  check.m_geometry.weight32 = check.m_weights.to(at::kFloat);
  if (check.m_bias.defined())
    check.m_geometry.bias32 = check.m_bias.to(at::kFloat);
  check.m_magnitudes.weight32 = check.m_magnitudes.weight.to(at::kFloat);
  check.m_magnitudes.bias32 = at::Tensor();
  return check;
}

at::Tensor ChainCheck::combineOutputs(const at::Tensor &y) const {
  if (m_geometry.channelDim() < 0)
    return at::matmul(y, m_s);
  // Channels are dim 1 of a contiguous [N, C, spatial...]: Sᵀ times each [C, positions] matrix,
  // with no transposed copy of y. A miner's answer of another rank is refused here, before its
  // sizes are touched.
  TORCH_CHECK(y.dim() >= 3, "a convolution's result needs batch, channel and spatial dims");
  auto sizes = y.sizes().vec();
  sizes[1] = m_s.size(1);
  return at::matmul(m_s.t(), y.contiguous().flatten(2)).view(sizes);
}

CheckOutcome ChainCheck::check(const at::Tensor &xIn, const at::Tensor &yIn, bool withBias,
                               double inputBound) const {
  if (yIn.scalar_type() != (m_float32 ? at::kFloat : at::kDouble))
    return {false, 0, 0,
            m_float32 ? "failed: the result is not float32" : "failed: the result is not float64"};
  const auto type = m_float32 ? at::kFloat : at::kDouble;
  const auto x = xIn.to(type), y = yIn;
  auto lhs = combineOutputs(y);
  auto rhs = m_float32
                 ? applyF32(m_geometry, x, withBias)
                 : applyGeometry(m_geometry, x, m_weights, withBias ? m_bias : at::Tensor(), 1);
  if (lhs.sizes() != rhs.sizes())
    return {false, 0, 0, "the result has the wrong shape"};
  if (lhs.numel() == 0) // nothing to compare (and no largest deviation to report)
    return {true, 0, 0, "passed: the result is empty"};
  if (m_float32)
    return checkPerPosition(x, lhs, rhs, withBias);
  // The allowance uses what an honest result can be (|y| ≤ gain·|x| + bias), not the result
  // itself, so an inflated answer cannot buy itself a wider tolerance.
  const double xBound = inputBound > 0 ? inputBound : x.abs().max().item().toDouble();
  const double bias = withBias ? m_absBias : 0.0;
  const double tolerance =
      m_gamma * (xBound * m_weightMass + (xBound * m_gain + bias) * m_sMass + bias) + 1e-300;
  const auto difference = (lhs - rhs).abs().reshape(-1);
  const auto worst = difference.argmax().item<std::int64_t>();
  const double largest = difference[worst].item().toDouble();
  CheckOutcome outcome{largest <= tolerance,
                       rhs.reshape(-1)[worst].item().toDouble(),
                       lhs.reshape(-1)[worst].item().toDouble(),
                       {}};
  std::ostringstream detail;
  detail << (outcome.passed ? "passed" : "failed") << ": largest deviation " << largest
         << " vs allowance " << tolerance;
  outcome.detail = detail.str();
  return outcome;
}

CheckOutcome ChainCheck::checkPerPosition(const at::Tensor &x, const at::Tensor &lhs,
                                          const at::Tensor &rhs, bool withBias) const {
  // Float32's allowance is a thousand times float64's: from global bounds (the largest |x| times
  // the largest gain) it would let lies of whole units pass on a scan. Per output position it
  // follows A = (|S|ᵀ|W|)∗|x|, what the terms there sum to, which bounds the rounding of the
  // miner's answer, of the combination Sᵀy and of (SᵀW)∗x alike; still from the input, never
  // from the answer.
  const double bias = withBias ? m_absBias : 0.0;
  const auto terms = applyF32(m_magnitudes, x.abs(), false);
  const auto allowance = (terms * (3 * m_gamma)).add_(2 * m_gamma * bias + 0x1p-126).reshape(-1);
  // An input so large that float32 terms overflow leaves no allowance that means anything.
  if (!std::isfinite(allowance.max().item().toDouble()))
    return {false, 0, 0, "failed: the input is too large to check in float32"};
  const auto difference = (lhs - rhs).abs().reshape(-1);
  // The position whose deviation uses most of its allowance. A NaN or infinite answer makes its
  // ratio NaN or infinite: it is the one picked, and fails.
  const auto worst = (difference / allowance).argmax().item<std::int64_t>();
  const double largest = difference[worst].item().toDouble();
  const double allowed = allowance[worst].item().toDouble();
  CheckOutcome outcome{largest <= allowed,
                       rhs.reshape(-1)[worst].item().toDouble(),
                       lhs.reshape(-1)[worst].item().toDouble(),
                       {}};
  std::ostringstream detail;
  detail << (outcome.passed ? "passed" : "failed") << ": deviation " << largest << " vs allowance "
         << allowed << " where it is closest";
  outcome.detail = detail.str();
  return outcome;
}

} // namespace nesa::privacy
