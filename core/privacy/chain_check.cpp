#include "privacy/internal/chain_check.h"

#include "privacy/field.h"
#include "util/secure_buffer.h"

#include <ATen/ATen.h>
#include <sodium.h>

#include <sstream>

namespace nesa::privacy {
namespace {

// [C_out, k] doubles ±(1 + u).
at::Tensor randomSigns(std::int64_t rows, int k) {
  (void)ensureSodium();
  auto s = at::empty({rows, k}, at::kDouble);
  double *d = s.data_ptr<double>();
  for (std::int64_t i = 0; i < s.numel(); ++i) {
    const std::uint32_t bits = randombytes_random();
    const double magnitude = 1.0 + static_cast<double>(bits >> 1) / 2147483648.0;
    d[i] = (bits & 1) ? magnitude : -magnitude;
  }
  return s;
}

// [C_out, k] uniform field elements.
at::Tensor randomFieldMatrix(std::int64_t rows, int k) {
  (void)ensureSodium();
  auto s = at::empty({rows, k}, at::kLong);
  auto *d = reinterpret_cast<std::uint64_t *>(s.data_ptr<std::int64_t>());
  for (std::int64_t i = 0; i < s.numel(); ++i) {
    do {
      randombytes_buf(&d[i], sizeof d[i]);
      d[i] &= field::kP;
    } while (d[i] == field::kP);
  }
  return s;
}

// Σ_c S[c, k] · W[c, ...] with the groups of a convolution expanded, so the result is a
// groups = 1 weight [k, C_in, kernel...]. f64 version.
at::Tensor combineWeightsF64(const at::Tensor &w, const at::Tensor &s, std::int64_t groups) {
  const auto out = w.size(0), perGroup = out / groups, k = s.size(1);
  auto wg = w.reshape({groups, perGroup, -1});           // [g, o, cin_g·kern]
  auto sg = s.reshape({groups, perGroup, k});            // [g, o, k]
  auto combined = at::einsum("gok,goi->kgi", {sg, wg});  // [k, g, cin_g·kern]
  std::vector<std::int64_t> shape{k, w.size(1) * groups};
  for (std::int64_t d = 2; d < w.dim(); ++d)
    shape.push_back(w.size(d));
  // [k, g, cin_g, kern...] -> [k, g·cin_g, kern...]
  return combined.reshape(shape);
}

// The same combination exactly in the field, from small signed fixed-point weights.
at::Tensor combineWeightsField(const at::Tensor &wFixed, const at::Tensor &s, std::int64_t groups) {
  const auto w = wFixed.contiguous();
  const auto out = w.size(0), perGroup = out / groups, k = s.size(1);
  const auto inner = w.numel() / out; // cin_g · kern
  std::vector<std::int64_t> shape{k, w.size(1) * groups};
  for (std::int64_t d = 2; d < w.dim(); ++d)
    shape.push_back(w.size(d));
  auto result = at::zeros(shape, at::kLong);
  const auto *wd = w.data_ptr<std::int64_t>();
  const auto *sd = reinterpret_cast<const std::uint64_t *>(s.contiguous().data_ptr<std::int64_t>());
  auto *rd = reinterpret_cast<std::uint64_t *>(result.data_ptr<std::int64_t>());
  for (std::int64_t c = 0; c < out; ++c) {
    const std::int64_t g = c / perGroup;
    for (std::int64_t j = 0; j < k; ++j) {
      const std::uint64_t coefficient = sd[c * k + j];
      std::uint64_t *row = rd + (j * groups + g) * inner;
      for (std::int64_t i = 0; i < inner; ++i)
        row[i] = field::add(row[i], field::mul(coefficient, field::fromSigned(wd[c * inner + i])));
    }
  }
  return result;
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
  check.m_absWeights = combineWeightsF64(absWeight, check.m_s.abs(), first.groups);
  if (bias.defined()) {
    check.m_bias = at::mv(check.m_s.t(), bias);
    check.m_absBias = at::mv(check.m_s.abs().t(), absBias).max().item<double>();
  }
  check.m_inner = check.m_weights.numel() / vectors;
  // A deterministic bound on float64 rounding of both sides: each dot product of n terms is off
  // by at most n·eps·Σ|terms|; chains compound, so count every op's inner size.
  check.m_gamma = 4.0 * static_cast<double>(innerTotal + weight.size(0) + 8) * static_cast<double>(chain.size()) *
                  std::ldexp(1.0, -52);
  return check;
}

ChainCheck ChainCheck::forField(const PreparedOp &op, int vectors) {
  ChainCheck check;
  check.m_field = true;
  check.m_geometry = op;
  check.m_geometry.groups = 1;
  check.m_s = randomFieldMatrix(op.weightFixed.size(0), vectors);
  check.m_weights = combineWeightsField(op.weightFixed, check.m_s, op.groups);
  check.m_inner = check.m_weights.numel() / vectors;
  if (op.biasField.defined()) {
    auto combined = at::zeros({vectors}, at::kLong);
    const auto *s = reinterpret_cast<const std::uint64_t *>(check.m_s.data_ptr<std::int64_t>());
    const auto *b = reinterpret_cast<const std::uint64_t *>(op.biasField.data_ptr<std::int64_t>());
    auto *c = reinterpret_cast<std::uint64_t *>(combined.data_ptr<std::int64_t>());
    for (std::int64_t i = 0; i < op.biasField.numel(); ++i)
      for (int j = 0; j < vectors; ++j)
        c[j] = field::add(c[j], field::mul(s[i * vectors + j], b[i]));
    check.m_bias = combined;
  }
  return check;
}

at::Tensor ChainCheck::combineOutputs(const at::Tensor &y, const at::Tensor &s) const {
  const int channel = m_geometry.channelDim();
  const auto last = channel < 0 ? y : y.movedim(channel, -1);
  at::Tensor combined;
  if (!m_field) {
    combined = at::matmul(last, s);
  } else {
    const auto st = s.t().contiguous(); // [k, C_out] field elements
    combined = fieldApply(last.contiguous(), st, /*smallWeights=*/false, 61, s.size(0),
                          [](const at::Tensor &xl, const at::Tensor &wl) { return at::linear(xl, wl); });
  }
  return channel < 0 ? combined : combined.movedim(-1, channel);
}

CheckOutcome ChainCheck::check(const at::Tensor &x, const at::Tensor &y, bool withBias) const {
  try {
    return m_field ? checkField(x, y, withBias) : checkF64(x, y, withBias);
  } catch (const c10::Error &e) {
    return {false, 0, 0, std::string("the result could not be checked: ") + e.what_without_backtrace()};
  }
}

CheckOutcome ChainCheck::checkF64(const at::Tensor &x, const at::Tensor &y, bool withBias) const {
  auto lhs = combineOutputs(y, m_s);
  auto rhs = applyGeometry(m_geometry, x, m_weights, withBias ? m_bias : at::Tensor(), 1);
  if (lhs.sizes() != rhs.sizes())
    return {false, 0, 0, "the result has the wrong shape"};
  const int channel = m_geometry.channelDim() < 0 ? 0 : 1;
  const double rowMass = m_absWeights.abs().reshape({m_absWeights.size(0), -1}).sum(1).max().item<double>();
  const double tolerance = m_gamma * (x.abs().max().item<double>() * rowMass +
                                      y.abs().max().item<double>() * m_s.abs().sum(channel).max().item<double>() +
                                      (withBias ? m_absBias : 0.0)) +
                           1e-300;
  const auto difference = (lhs - rhs).abs();
  const auto worst = difference.reshape(-1).argmax().item<std::int64_t>();
  const double largest = difference.reshape(-1)[worst].item<double>();
  CheckOutcome outcome{largest <= tolerance, rhs.reshape(-1)[worst].item<double>(),
                       lhs.reshape(-1)[worst].item<double>(), {}};
  std::ostringstream detail;
  detail << (outcome.passed ? "passed" : "failed") << ": largest deviation " << largest << " vs allowance "
         << tolerance;
  outcome.detail = detail.str();
  return outcome;
}

CheckOutcome ChainCheck::checkField(const at::Tensor &x, const at::Tensor &y, bool withBias) const {
  auto lhs = combineOutputs(y, m_s);
  auto rhs = fieldApply(x, m_weights, /*smallWeights=*/false, 61, m_inner,
                        [&](const at::Tensor &xl, const at::Tensor &wl) {
                          return applyGeometry(m_geometry, xl, wl, at::Tensor(), 1);
                        });
  if (withBias && m_bias.defined())
    rhs = fieldAddChannels(rhs, m_bias, m_geometry.channelDim());
  if (lhs.sizes() != rhs.sizes())
    return {false, 0, 0, "the result has the wrong shape"};
  const auto mismatches = lhs.ne(rhs);
  const auto count = mismatches.sum().item<std::int64_t>();
  if (count == 0)
    return {true, 0, 0, "passed: exact"};
  const auto first = mismatches.reshape(-1).nonzero()[0][0].item<std::int64_t>();
  const auto expected = static_cast<std::uint64_t>(rhs.reshape(-1)[first].item<std::int64_t>());
  const auto got = static_cast<std::uint64_t>(lhs.reshape(-1)[first].item<std::int64_t>());
  return {false, static_cast<double>(field::toSigned(expected)), static_cast<double>(field::toSigned(got)),
          "failed: " + std::to_string(count) + " of " + std::to_string(lhs.numel()) +
              " check values differ (exact field arithmetic)"};
}

} // namespace nesa::privacy
