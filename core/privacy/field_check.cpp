#include "privacy/internal/field_check.h"

#include "privacy/field.h"

#include <ATen/ATen.h>

namespace nesa::privacy {
namespace {

std::uint64_t reduceWide(field::Uint128 v) {
  // 2^61 ≡ 1 (mod p): fold the high bits down until the value fits, then reduce once more.
  v = (v & field::kP) + (v >> 61);
  v = (v & field::kP) + (v >> 61);
  return field::reduce(static_cast<std::uint64_t>(v));
}

// The shape op(x) has for an input of `shape`.
std::vector<std::int64_t> outputShape(const PreparedOp &op, at::IntArrayRef shape) {
  std::vector<std::int64_t> out(shape.begin(), shape.end());
  if (op.kind == model::LinearKind::Linear) {
    out.back() = op.weight.size(0);
    return out;
  }
  out[1] = op.weight.size(0);
  for (std::size_t d = 0; d < op.stride.size(); ++d) {
    const auto span = op.dilation[d] * (op.weight.size(2 + static_cast<std::int64_t>(d)) - 1) + 1;
    out[2 + d] = (shape[2 + d] + 2 * op.padding[d] - span) / op.stride[d] + 1;
  }
  return out;
}

// Wᵀr exactly in the field: the adjoint of the op (a transposed convolution, or r·W), applied
// to the probe with the same limb decomposition as the forward op.
at::Tensor adjointOf(const PreparedOp &op, const at::Tensor &r, at::IntArrayRef inputShape) {
  if (op.kind == model::LinearKind::Linear) {
    const auto weightT = op.weightFixed.t().contiguous(); // [in, out]
    return fieldApply(
        r, weightT, true, op.weightBits, op.weight.size(0),
        [](const at::Tensor &rl, const at::Tensor &wl) { return at::linear(rl, wl); });
  }
  std::vector<std::int64_t> outputPadding;
  std::int64_t kernelVolume = 1;
  for (std::size_t d = 0; d < op.stride.size(); ++d) {
    const auto k = op.weight.size(2 + static_cast<std::int64_t>(d));
    kernelVolume *= k;
    const auto reach = (r.size(2 + static_cast<std::int64_t>(d)) - 1) * op.stride[d] -
                       2 * op.padding[d] + op.dilation[d] * (k - 1) + 1;
    outputPadding.push_back(inputShape[2 + d] - reach);
  }
  const auto inner = (op.weight.size(0) / op.groups) * kernelVolume;
  return fieldApply(r, op.weightFixed, true, op.weightBits, inner,
                    [&](const at::Tensor &rl, const at::Tensor &wl) {
                      switch (op.kind) {
                      case model::LinearKind::Conv1d:
                        return at::conv_transpose1d(rl, wl, {}, op.stride, op.padding,
                                                    outputPadding, op.groups, op.dilation);
                      case model::LinearKind::Conv2d:
                        return at::conv_transpose2d(rl, wl, {}, op.stride, op.padding,
                                                    outputPadding, op.groups, op.dilation);
                      default:
                        return at::conv_transpose3d(rl, wl, {}, op.stride, op.padding,
                                                    outputPadding, op.groups, op.dilation);
                      }
                    });
}

bool allCanonical(const at::Tensor &values) {
  const auto c = values.contiguous();
  const auto *v = reinterpret_cast<const std::uint64_t *>(c.data_ptr<std::int64_t>());
  std::uint64_t bad = 0;
  for (std::int64_t i = 0, n = c.numel(); i < n; ++i)
    bad |= v[i] >= field::kP ? 1 : 0;
  return bad == 0;
}

} // namespace

std::uint64_t fieldDot(const at::Tensor &a, const at::Tensor &b) {
  const auto ac = a.contiguous(), bc = b.contiguous();
  const auto *x = reinterpret_cast<const std::uint64_t *>(ac.data_ptr<std::int64_t>());
  const auto *y = reinterpret_cast<const std::uint64_t *>(bc.data_ptr<std::int64_t>());
  const std::int64_t n = ac.numel();
  std::uint64_t total = 0;
  for (std::int64_t start = 0; start < n; start += 32) {
    // Reduced factors are below 2^61, each product below 2^122, so 32 of them fit in 128 bits.
    field::Uint128 sum = 0;
    const std::int64_t end = std::min(n, start + 32);
    for (std::int64_t i = start; i < end; ++i)
      sum += static_cast<field::Uint128>(field::reduce(x[i])) * field::reduce(y[i]);
    total = field::add(total, reduceWide(sum));
  }
  return total;
}

std::shared_ptr<const FieldCheck::Probe> FieldCheck::probeFor(at::IntArrayRef inputShape) const {
  const std::vector<std::int64_t> key(inputShape.begin(), inputShape.end());
  std::lock_guard lock(m_mutex);
  auto &slot = m_probes[key];
  if (!slot) {
    auto probe = std::make_shared<Probe>();
    probe->outputShape = outputShape(m_op, inputShape);
    probe->r = expandFieldMask(randomSeed(), 0, probe->outputShape);
    probe->adjoint = adjointOf(m_op, probe->r, inputShape);
    if (m_op.biasField.defined()) {
      // ⟨b, r⟩ over every position: the probe summed per channel, dotted with the biases.
      const int channel = m_op.channelDim() < 0 ? static_cast<int>(probe->r.dim()) - 1 : 1;
      const auto perChannel =
          probe->r.movedim(channel, -1).reshape({-1, m_op.biasField.numel()}).contiguous();
      const auto *rd = reinterpret_cast<const std::uint64_t *>(perChannel.data_ptr<std::int64_t>());
      const auto *bd =
          reinterpret_cast<const std::uint64_t *>(m_op.biasField.data_ptr<std::int64_t>());
      const auto channels = m_op.biasField.numel();
      for (std::int64_t i = 0; i < perChannel.numel(); ++i)
        probe->biasTerm = field::add(probe->biasTerm, field::mul(rd[i], bd[i % channels]));
    }
    slot = std::move(probe);
  }
  return slot;
}

CheckOutcome FieldCheck::check(const at::Tensor &x, const at::Tensor &y, bool withBias,
                               double) const {
  const auto probe = probeFor(x.sizes());
  if (y.sizes() != at::IntArrayRef(probe->outputShape))
    return {false, 0, 0, "failed: the result has the wrong shape"};
  if (y.scalar_type() != at::kLong || !allCanonical(y))
    return {false, 0, 0, "failed: the result is not made of field elements below p"};
  const std::uint64_t got = fieldDot(y, probe->r);
  std::uint64_t expected = fieldDot(x, probe->adjoint);
  if (withBias)
    expected = field::add(expected, probe->biasTerm);
  if (got == expected)
    return {true, 0, 0, "passed: exact"};
  return {false, static_cast<double>(field::toSigned(expected)),
          static_cast<double>(field::toSigned(got)),
          "failed: ⟨y, r⟩ differs from ⟨x, Wᵀr⟩ (exact field arithmetic)"};
}

} // namespace nesa::privacy
