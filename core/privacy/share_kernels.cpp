#include "privacy/internal/share_kernels.h"

#include "gpu/dense_ops.h"
#include "model/internal/linear_rows.h"
#include "model/internal/tensor_convert.h"
#include "privacy/field.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

namespace nesa::privacy {
namespace {

int ceilLog2(std::int64_t n) {
  return n <= 1 ? 0 : 64 - std::countl_zero(static_cast<std::uint64_t>(n - 1));
}

// Splits field elements (or non-negative integers below 2^bits) into float64 limbs of `width`
// bits; limb j holds bits [j·width, (j+1)·width).
std::vector<at::Tensor> splitLimbs(const at::Tensor &values, int width, int bits) {
  const auto source = values.contiguous();
  const auto *data = reinterpret_cast<const std::uint64_t *>(source.data_ptr<std::int64_t>());
  const std::int64_t n = source.numel();
  const int count = (bits + width - 1) / width;
  const std::uint64_t mask = (std::uint64_t{1} << width) - 1;
  std::vector<at::Tensor> limbs;
  for (int j = 0; j < count; ++j) {
    auto limb = at::empty(source.sizes(), at::kDouble);
    double *out = limb.data_ptr<double>();
    const int shift = j * width;
    for (std::int64_t i = 0; i < n; ++i)
      out[i] = static_cast<double>((data[i] >> shift) & mask);
    limbs.push_back(std::move(limb));
  }
  return limbs;
}

// acc = (acc + exact(part) · 2^shift) mod p, where part holds integers in float64.
void accumulate(at::Tensor &acc, const at::Tensor &part, unsigned shift) {
  const auto values = part.contiguous();
  const double *in = values.data_ptr<double>();
  auto *out = reinterpret_cast<std::uint64_t *>(acc.data_ptr<std::int64_t>());
  const std::int64_t n = acc.numel();
  for (std::int64_t i = 0; i < n; ++i) {
    const auto term = field::fromSigned(static_cast<std::int64_t>(in[i]));
    out[i] = field::add(out[i], field::shiftLeft(term, shift));
  }
}

template <typename F> at::Tensor mapField(const at::Tensor &a, const at::Tensor &b, F f) {
  auto ac = a.contiguous(), bc = b.expand_as(a).contiguous();
  auto out = at::empty_like(ac);
  const auto *x = reinterpret_cast<const std::uint64_t *>(ac.data_ptr<std::int64_t>());
  const auto *y = reinterpret_cast<const std::uint64_t *>(bc.data_ptr<std::int64_t>());
  auto *z = reinterpret_cast<std::uint64_t *>(out.data_ptr<std::int64_t>());
  for (std::int64_t i = 0, n = ac.numel(); i < n; ++i)
    z[i] = f(x[i], y[i]);
  return out;
}

} // namespace

PreparedForms formsFor(ShareArithmetic arithmetic) {
  return {arithmetic == ShareArithmetic::F32, arithmetic == ShareArithmetic::Ring64};
}

PreparedOp prepareOp(const model::LinearOp &op, int fracBits, PreparedForms forms) {
  PreparedOp p;
  p.kind = op.kind;
  p.stride = op.stride;
  p.padding = op.padding;
  p.dilation = op.dilation;
  p.groups = op.groups;
  p.inner = op.innerSize();
  p.fracBits = fracBits;
  TORCH_CHECK(op.weight.dtype == model::DType::F32 &&
                  (!op.bias || op.bias->dtype == model::DType::F32),
              "a bundle op's weights are float32");
  const auto weight32 = model::viewOf(op.weight); // the bundle's bytes, copied once below
  p.weight = weight32.to(at::kDouble);
  if (forms.f32)
    p.weight32 = weight32.clone();
  if (op.bias) {
    const auto bias32 = model::viewOf(*op.bias);
    p.bias = bias32.to(at::kDouble);
    if (forms.f32)
      p.bias32 = bias32.clone();
  }
  if (!forms.field)
    return p;
  p.weightFixed = at::round(p.weight * std::ldexp(1.0, fracBits)).to(at::kLong);
  const auto largest = p.weightFixed.abs().max().item<std::int64_t>();
  p.weightBits = std::max(1, 64 - std::countl_zero(static_cast<std::uint64_t>(largest)));
  if (p.bias.defined()) {
    p.biasField = at::empty(p.bias.sizes(), at::kLong);
    const double *b = p.bias.data_ptr<double>();
    auto *out = reinterpret_cast<std::uint64_t *>(p.biasField.data_ptr<std::int64_t>());
    for (std::int64_t i = 0; i < p.bias.numel(); ++i)
      out[i] = field::encode(b[i], 2 * fracBits);
  }
  return p;
}

std::shared_ptr<const std::vector<PreparedOp>> sharedPreparedOps(const model::LinearBundle &bundle,
                                                                 const std::string &bundleId,
                                                                 ShareArithmetic arithmetic,
                                                                 int fracBits) {
  // Float jobs do not use fracBits: they share one preparation whatever they say.
  if (arithmetic != ShareArithmetic::Ring64)
    fracBits = 0;
  // One entry per preparation. The map's lock is held only to find the entry; the entry's own
  // lock while preparing, so that whoever asks for the same ops meanwhile waits for them instead
  // of preparing a second copy, and preparations of other bundles go on beside it.
  struct Entry {
    std::mutex mutex;
    std::weak_ptr<const std::vector<PreparedOp>> ops;
  };
  static std::mutex mapMutex;
  static std::map<std::tuple<std::string, ShareArithmetic, int>, std::shared_ptr<Entry>> entries;
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard lock(mapMutex);
    std::erase_if(entries, [](const auto &e) {
      return e.second.use_count() == 1 && e.second->ops.expired(); // unused, nobody preparing
    });
    auto &slot = entries[{bundleId, arithmetic, fracBits}];
    if (!slot)
      slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::lock_guard lock(entry->mutex);
  if (auto ops = entry->ops.lock())
    return ops;
  auto ops = std::make_shared<std::vector<PreparedOp>>();
  ops->reserve(bundle.ops.size());
  for (const auto &op : bundle.ops)
    ops->push_back(prepareOp(op, fracBits, formsFor(arithmetic)));
  entry->ops = ops;
  return ops;
}

// A depthwise convolution (one input channel per group, one output per group) as a sum over
// kernel offsets of strided slices times per-channel weights: no patch matrix at all.
at::Tensor convolveDepthwise(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight) {
  const auto spatial = static_cast<std::int64_t>(op.stride.size());
  std::vector<std::int64_t> pad;
  for (std::int64_t d = spatial - 1; d >= 0; --d) {
    pad.push_back(op.padding[d]);
    pad.push_back(op.padding[d]);
  }
  const auto padded = at::constant_pad_nd(x, pad, 0);
  std::vector<std::int64_t> outSpatial, kernel;
  std::int64_t offsets = 1;
  for (std::int64_t d = 0; d < spatial; ++d) {
    kernel.push_back(weight.size(2 + d));
    offsets *= kernel.back();
    const auto span = (kernel.back() - 1) * op.dilation[d] + 1;
    outSpatial.push_back((padded.size(2 + d) - span) / op.stride[d] + 1);
  }
  std::vector<std::int64_t> shape{x.size(0), x.size(1)};
  shape.insert(shape.end(), outSpatial.begin(), outSpatial.end());
  auto y = at::zeros(shape, x.options());
  const auto flatWeights = weight.reshape({weight.size(0), offsets});
  std::vector<std::int64_t> perChannel(2 + spatial, 1);
  perChannel[1] = weight.size(0);
  for (std::int64_t k = 0; k < offsets; ++k) {
    at::Tensor window = padded;
    std::int64_t rest = k;
    for (std::int64_t d = spatial - 1; d >= 0; --d) {
      const auto position = rest % kernel[d];
      rest /= kernel[d];
      const auto start = position * op.dilation[d];
      window =
          window.slice(2 + d, start, start + op.stride[d] * (outSpatial[d] - 1) + 1, op.stride[d]);
    }
    y.addcmul_(window, flatWeights.select(1, k).reshape(perChannel));
  }
  return y;
}

// An N-d convolution as one (batched) matrix product over unfolded patches. libtorch's float64
// convolution takes a slow reference path (about 10× slower than this on 2 cores); the patch
// matrix puts the work on BLAS dgemm instead, for any stride, padding, dilation and groups.
at::Tensor convolveByPatches(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight,
                             std::int64_t groups) {
  const auto spatial = static_cast<std::int64_t>(op.stride.size());
  std::vector<std::int64_t> pad;
  for (std::int64_t d = spatial - 1; d >= 0; --d) { // constant_pad_nd wants the last dim first
    pad.push_back(op.padding[d]);
    pad.push_back(op.padding[d]);
  }
  at::Tensor patches = at::constant_pad_nd(x, pad, 0);
  for (std::int64_t d = 0; d < spatial; ++d) {
    const auto kernel = weight.size(2 + d);
    const auto span = (kernel - 1) * op.dilation[d] + 1;
    patches = patches.unfold(2 + d, span, op.stride[d]);
    if (op.dilation[d] > 1)
      patches = patches.slice(-1, 0, c10::nullopt, op.dilation[d]);
  }
  const auto n = x.size(0), channels = x.size(1), perGroup = channels / groups;
  // patches: [N, C, O1..On, K1..Kn] -> [G, N·L, Cg·K]
  std::vector<std::int64_t> outSpatial(patches.sizes().begin() + 2,
                                       patches.sizes().begin() + 2 + spatial);
  std::int64_t positions = 1, kernelVolume = 1;
  for (auto o : outSpatial)
    positions *= o;
  for (std::int64_t d = 0; d < spatial; ++d)
    kernelVolume *= weight.size(2 + d);
  std::vector<std::int64_t> order{0};
  for (std::int64_t d = 0; d < spatial; ++d)
    order.push_back(2 + d);
  order.push_back(1);
  for (std::int64_t d = 0; d < spatial; ++d)
    order.push_back(2 + spatial + d);
  auto columns = patches.permute(order)
                     .reshape({n * positions, groups, perGroup * kernelVolume})
                     .transpose(0, 1);
  const auto outChannels = weight.size(0), outPerGroup = outChannels / groups;
  auto kernels = weight.reshape({groups, outPerGroup, perGroup * kernelVolume}).transpose(1, 2);
  auto product = at::bmm(columns, kernels); // [G, N·L, Og]
  std::vector<std::int64_t> shape{n};
  shape.insert(shape.end(), outSpatial.begin(), outSpatial.end());
  shape.push_back(outChannels);
  auto result = product.transpose(0, 1).reshape(shape); // [N, O1..On, C_out]
  return result.movedim(-1, 1).contiguous();
}

namespace {

thread_local int t_gpuDevice = -1;

// y + bias along y's channel dimension (dim 1); y itself when there is no bias.
at::Tensor withChannelBias(at::Tensor y, const at::Tensor &bias) {
  if (!bias.defined())
    return y;
  std::vector<std::int64_t> shape(static_cast<std::size_t>(y.dim()), 1);
  shape[1] = bias.numel();
  return y.add_(bias.reshape(shape));
}

// applyGeometry on the GPU: the same products, by the kernels of core/gpu.
at::Tensor applyGeometryOnGpu(const PreparedOp &op, const at::Tensor &input,
                              const at::Tensor &weightIn, const at::Tensor &bias,
                              std::int64_t groups) {
  const auto x = input.to(at::kDouble).contiguous();
  const auto weight = weightIn.to(at::kDouble).contiguous();
  at::Tensor y;
  if (op.kind == model::LinearKind::Linear) {
    const std::int64_t k = weight.size(1), n = weight.size(0), m = x.numel() / k;
    auto sizes = x.sizes().vec();
    sizes.back() = n;
    y = at::empty(sizes, x.options());
    auto done = gpu::linearF64(x.data_ptr<double>(), weight.data_ptr<double>(),
                               y.data_ptr<double>(), m, k, n, t_gpuDevice);
    TORCH_CHECK(done.ok(), done.ok() ? "" : done.error().message);
    if (bias.defined())
      y.add_(bias);
    return y;
  }
  gpu::ConvGeometry c;
  c.dims = static_cast<int>(x.dim()) - 2;
  c.batch = x.size(0);
  c.inChannels = x.size(1);
  c.outChannels = weight.size(0);
  c.groups = groups;
  for (int d = 0; d < c.dims; ++d) {
    c.input[d] = x.size(d + 2);
    c.kernel[d] = weight.size(d + 2);
    c.stride[d] = op.stride[static_cast<std::size_t>(d)];
    c.padding[d] = op.padding[static_cast<std::size_t>(d)];
    c.dilation[d] = op.dilation[static_cast<std::size_t>(d)];
  }
  TORCH_CHECK(c.complete(), "the convolution does not fit this input");
  std::vector<std::int64_t> sizes{c.batch, c.outChannels};
  for (int d = 0; d < c.dims; ++d)
    sizes.push_back(c.output[d]);
  y = at::empty(sizes, x.options());
  auto done = gpu::convF64(x.data_ptr<double>(), weight.data_ptr<double>(), y.data_ptr<double>(), c,
                           t_gpuDevice);
  TORCH_CHECK(done.ok(), done.ok() ? "" : done.error().message);
  return withChannelBias(y, bias);
}

// True for the convolutions convolveShifted computes: float64 or float32, batched and not empty,
// stride 1, one group, one output channel (what a check convolves: its combined weights Sᵀ·W
// against x when it combines the outputs into one, |S|ᵀ|W| against |x| for a float32 check's
// allowance, and a model's own one-channel outputs).
bool shiftable(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight,
               std::int64_t groups) {
  const auto dims = static_cast<std::size_t>(x.dim() - 2);
  return weight.size(0) == 1 && x.scalar_type() == weight.scalar_type() &&
         (x.scalar_type() == at::kDouble || x.scalar_type() == at::kFloat) && groups == 1 &&
         x.dim() == weight.dim() && x.dim() >= 3 && x.numel() > 0 && x.size(1) == weight.size(1) &&
         op.stride.size() == dims && op.padding.size() == dims && op.dilation.size() == dims &&
         std::all_of(op.stride.begin(), op.stride.end(), [](std::int64_t s) { return s == 1; });
}

// A stride-1 convolution to one output channel as one matrix-vector product per kernel tap,
// without unfolding the input. The batch is laid out as [channels, samples × padded positions]
// (zeros around each sample); the tap at offset o multiplies that matrix shifted by o (a view
// BLAS reads in place) with the tap's weights and adds into [samples × padded positions], whose
// positions inside the output's extent are the result (the others read across a border and are
// dropped). Each tap reads the input once, where libtorch writes and reads an unfolded copy of
// input × taps (4 GB for the brain model's 96 slices): the brain model's hss check cost 1.20×
// an unchecked run this way, 1.38× before. (For several outputs the same layout with
// matrix products was slower than libtorch: the output is read and written once per tap.) Sums
// per output: the same terms in another order, so float64 results agree to rounding and
// integer-valued limbs exactly.
at::Tensor convolveShifted(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight) {
  const auto dims = static_cast<std::size_t>(x.dim() - 2);
  const auto samples = x.size(0), inputs = x.size(1);
  const auto kernel = [&](std::size_t d) { return weight.size(static_cast<std::int64_t>(d) + 2); };
  std::vector<std::int64_t> padded(dims), extent(dims), step(dims);
  for (std::size_t d = 0; d < dims; ++d) {
    padded[d] = x.size(static_cast<std::int64_t>(d) + 2) + 2 * op.padding[d];
    extent[d] = padded[d] - op.dilation[d] * (kernel(d) - 1);
    TORCH_CHECK(extent[d] > 0, "the convolution's kernel is larger than its padded input");
  }
  std::int64_t plane = 1, reach = 0; // positions per padded sample; the farthest tap's offset
  for (std::size_t d = dims; d-- > 0;) {
    step[d] = plane;
    plane *= padded[d];
    reach += op.dilation[d] * (kernel(d) - 1) * step[d];
  }
  std::vector<std::int64_t> layout{inputs, samples};
  layout.insert(layout.end(), padded.begin(), padded.end());
  auto spread = at::zeros(layout, x.options());
  auto interior = spread;
  for (std::size_t d = 0; d < dims; ++d)
    interior = interior.narrow(static_cast<std::int64_t>(d) + 2, op.padding[d],
                               x.size(static_cast<std::int64_t>(d) + 2));
  interior.copy_(x.transpose(0, 1));
  const auto total = samples * plane, length = total - reach;
  const auto rows = spread.view({inputs, total});
  auto result = at::zeros({total}, x.options());
  auto target = result.narrow(0, 0, length);
  const auto taps = weight.numel() / inputs;
  const auto perTap = weight.reshape({inputs, taps});
  for (std::int64_t t = 0; t < taps; ++t) {
    std::int64_t offset = 0, rest = t;
    for (std::size_t d = dims; d-- > 0;) {
      offset += (rest % kernel(d)) * op.dilation[d] * step[d];
      rest /= kernel(d);
    }
    target.addmv_(rows.narrow(1, offset, length).t(), perTap.select(1, t));
  }
  std::vector<std::int64_t> grid{samples, 1};
  grid.insert(grid.end(), padded.begin(), padded.end());
  auto y = result.view(grid);
  for (std::size_t d = 0; d < dims; ++d)
    y = y.narrow(static_cast<std::int64_t>(d) + 2, 0, extent[d]);
  return y.contiguous();
}

// libtorch's own convolution of the whole batch, with `bias` (undefined: none).
at::Tensor convolveWhole(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight,
                         const at::Tensor &bias, std::int64_t groups) {
  const c10::optional<at::Tensor> b =
      bias.defined() ? c10::optional<at::Tensor>(bias) : c10::nullopt;
  switch (op.kind) {
  case model::LinearKind::Conv1d:
    return at::conv1d(x, weight, b, op.stride, op.padding, op.dilation, groups);
  case model::LinearKind::Conv2d:
    return at::conv2d(x, weight, b, op.stride, op.padding, op.dilation, groups);
  case model::LinearKind::Conv3d:
    return at::conv3d(x, weight, b, op.stride, op.padding, op.dilation, groups);
  case model::LinearKind::Linear: break;
  }
  TORCH_CHECK(false, "not a convolution");
}

// libtorch's float64 convolution unfolds its whole batch at once (inputs per output × output
// positions × batch: 4 GB for the brain model's 96 slices of Colin27). Above the heap's 1 GiB
// limit (util/process_tuning.h) that buffer was mapped and zeroed afresh for every call, half of
// an hss query's time. The batch now goes through in chunks (convolutionChunk) whose unfolded
// input stays near kConvolutionUnfoldBytes, so the buffer is reused from the heap. float32 goes
// through oneDNN, which unfolds nothing: it stays whole, as do unbatched and empty inputs.
at::Tensor convolveInChunks(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight,
                            const at::Tensor &bias, std::int64_t groups) {
  if (x.scalar_type() != at::kDouble || x.dim() != weight.dim() || x.numel() == 0)
    return convolveWhole(op, x, weight, bias, groups);
  const auto batch = x.size(0);
  const auto chunk = convolutionChunk(op, x.sizes(), weight.sizes(), groups, at::get_num_threads());
  if (chunk >= batch)
    return convolveWhole(op, x, weight, bias, groups);
  at::Tensor y;
  for (std::int64_t start = 0; start < batch; start += chunk) {
    const auto count = std::min(chunk, batch - start);
    auto part = convolveWhole(op, x.narrow(0, start, count), weight, bias, groups);
    if (!y.defined()) {
      auto sizes = part.sizes().vec();
      sizes[0] = batch;
      y = at::empty(sizes, part.options());
    }
    y.narrow(0, start, count).copy_(part);
  }
  return y;
}

} // namespace

std::int64_t convolutionChunk(const PreparedOp &op, at::IntArrayRef input, at::IntArrayRef weight,
                              std::int64_t groups, int threads) {
  const auto dims = input.size() < 3 ? 0 : input.size() - 2;
  if (dims == 0 || weight.size() != input.size() || op.stride.size() != dims ||
      op.padding.size() != dims || op.dilation.size() != dims)
    return input.empty() ? 0 : input[0];
  std::int64_t unfolded = groups * sizeof(double); // bytes a sample unfolds to
  for (std::size_t i = 1; i < weight.size(); ++i)
    unfolded *= weight[i];
  for (std::size_t d = 0; d < dims; ++d) {
    const auto span = input[d + 2] + 2 * op.padding[d] - op.dilation[d] * (weight[d + 2] - 1);
    unfolded *= span > 0 && op.stride[d] > 0 ? (span - 1) / op.stride[d] + 1 : 1;
  }
  auto chunk =
      std::max<std::int64_t>(1, kConvolutionUnfoldBytes / std::max<std::int64_t>(unfolded, 1));
  if (chunk >= threads) // whole rounds of the threads libtorch spreads the samples over
    chunk = chunk / std::max(threads, 1) * std::max(threads, 1);
  return std::min(chunk, input[0]);
}

GpuScope::GpuScope(int device) : m_previous(t_gpuDevice) { t_gpuDevice = device; }

GpuScope::~GpuScope() { t_gpuDevice = m_previous; }

at::Tensor applyGeometry(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight,
                         const at::Tensor &bias, std::int64_t groups) {
  if (t_gpuDevice >= 0)
    return applyGeometryOnGpu(op, x, weight, bias, groups);
  if (op.kind == model::LinearKind::Linear)
    return model::linearRows(x, weight, bias);
  // The checks' single-output convolutions by shifted matrix-vector products. Otherwise libtorch's
  // own convolution where it has enough inputs per output; with few (first layers, depthwise
  // convolutions) it is several times slower than ours by patches or per channel (measured
  // with `nesa bench engine`).
  const bool shifted = shiftable(op, x, weight, groups);
  if (!shifted && weight.numel() / weight.size(0) >= 64)
    return convolveInChunks(op, x, weight, bias, groups);
  const bool depthwise = groups == x.size(1) && groups == weight.size(0);
  return withChannelBias(shifted     ? convolveShifted(op, x, weight)
                         : depthwise ? convolveDepthwise(op, x, weight)
                                     : convolveByPatches(op, x, weight, groups),
                         bias);
}

std::string shapeMismatch(const PreparedOp &op, at::IntArrayRef shape) {
  const auto inputs = op.weight.size(1) * op.groups;
  if (op.kind == model::LinearKind::Linear) {
    if (shape.empty() || shape.back() != inputs)
      return "linear layer expects " + std::to_string(inputs) + " input features, got shape " +
             c10::str(shape);
    return {};
  }
  const auto spatial = static_cast<std::int64_t>(op.stride.size());
  if (static_cast<std::int64_t>(shape.size()) != spatial + 2 || shape[1] != inputs)
    return "convolution expects [batch, " + std::to_string(inputs) + ", " +
           std::to_string(spatial) + " spatial dims], got shape " + c10::str(shape);
  return {};
}

at::Tensor applyF64(const PreparedOp &op, const at::Tensor &x, bool addBias) {
  return applyGeometry(op, x, op.weight, addBias ? op.bias : at::Tensor(), op.groups);
}

at::Tensor applyF32(const PreparedOp &op, const at::Tensor &x, bool addBias) {
  if (t_gpuDevice >= 0) // core/gpu's kernels are float64: compute there, then round
    return applyGeometryOnGpu(op, x, op.weight, addBias ? op.bias : at::Tensor(), op.groups)
        .to(at::kFloat);
  const auto &bias = addBias ? op.bias32 : at::Tensor();
  if (op.kind == model::LinearKind::Linear)
    return model::linearRows(x, op.weight32, bias);
  // A check's single-output convolution: shifted products here too (with oneDNN's, a checked
  // `ee` run of the brain model took 1.78× an unchecked one; with these, 1.61×).
  if (shiftable(op, x, op.weight32, op.groups))
    return withChannelBias(convolveShifted(op, x, op.weight32), bias);
  // Otherwise libtorch's float32 convolution, the one a `local` run uses, fast at every shape.
  return convolveWhole(op, x, op.weight32, bias, op.groups);
}

at::Tensor fieldApply(const at::Tensor &x, const at::Tensor &w, bool smallWeights, int weightBits,
                      std::int64_t inner, const LimbOp &f) {
  const int budget = 52 - ceilLog2(inner);
  TORCH_CHECK(budget >= 20, "an inner dimension of ", inner,
              " is too large for exact limb products");
  std::vector<std::pair<at::Tensor, int>> weightLimbs;
  int xWidth = 0;
  if (smallWeights && budget - weightBits >= 12) {
    weightLimbs.emplace_back(w.to(at::kDouble), 0);
    xWidth = budget - weightBits;
  } else {
    const int wWidth = budget / 2;
    xWidth = budget - wWidth;
    // Small signed weights become field elements first, so every limb is non-negative.
    const auto asField = smallWeights
                             ? mapField(w, w,
                                        [](std::uint64_t v, std::uint64_t) {
                                          return field::fromSigned(static_cast<std::int64_t>(v));
                                        })
                             : w;
    int shift = 0;
    for (auto &limb : splitLimbs(asField, wWidth, 61)) {
      weightLimbs.emplace_back(std::move(limb), shift);
      shift += wWidth;
    }
  }
  const auto xLimbs = splitLimbs(x, xWidth, 61);
  at::Tensor acc;
  for (const auto &[wLimb, wShift] : weightLimbs) {
    for (std::size_t j = 0; j < xLimbs.size(); ++j) {
      const auto part = f(xLimbs[j], wLimb);
      if (!acc.defined())
        acc = at::zeros(part.sizes(), at::kLong);
      accumulate(acc, part, static_cast<unsigned>(wShift + static_cast<int>(j) * xWidth));
    }
  }
  return acc;
}

at::Tensor fieldAddChannels(const at::Tensor &y, const at::Tensor &bias, int channelDim) {
  std::vector<std::int64_t> shape(y.dim(), 1);
  shape[channelDim < 0 ? y.dim() + channelDim : channelDim] = bias.numel();
  return fieldAdd(y, bias.reshape(shape));
}

at::Tensor applyField(const PreparedOp &op, const at::Tensor &x, bool addBias) {
  auto y = fieldApply(x, op.weightFixed, /*smallWeights=*/true, op.weightBits, op.inner,
                      [&](const at::Tensor &xl, const at::Tensor &wl) {
                        return applyGeometry(op, xl, wl, at::Tensor(), op.groups);
                      });
  if (addBias && op.biasField.defined())
    y = fieldAddChannels(y, op.biasField, op.channelDim());
  return y;
}

at::Tensor fieldAdd(const at::Tensor &a, const at::Tensor &b) { return mapField(a, b, field::add); }

at::Tensor fieldSub(const at::Tensor &a, const at::Tensor &b) { return mapField(a, b, field::sub); }

at::Tensor fieldEncode(const at::Tensor &x, int fracBits) {
  const auto source = x.to(at::kDouble).contiguous();
  auto out = at::empty(source.sizes(), at::kLong);
  const double *in = source.data_ptr<double>();
  auto *v = reinterpret_cast<std::uint64_t *>(out.data_ptr<std::int64_t>());
  for (std::int64_t i = 0, n = source.numel(); i < n; ++i)
    v[i] = field::encode(in[i], fracBits);
  return out;
}

at::Tensor fieldDecode(const at::Tensor &values, int fracBits) {
  const auto source = values.contiguous();
  auto out = at::empty(source.sizes(), at::kDouble);
  const auto *in = reinterpret_cast<const std::uint64_t *>(source.data_ptr<std::int64_t>());
  double *x = out.data_ptr<double>();
  for (std::int64_t i = 0, n = source.numel(); i < n; ++i)
    x[i] = field::decode(in[i], fracBits);
  return out;
}

at::Tensor expandFieldMask(const Seed &seed, std::uint64_t nonce, at::IntArrayRef shape) {
  auto out = at::empty(shape, at::kLong);
  expandFieldElements(seed, nonce, reinterpret_cast<std::uint64_t *>(out.data_ptr<std::int64_t>()),
                      static_cast<std::size_t>(out.numel()));
  return out;
}

at::Tensor expandUniformMask(const Seed &seed, std::uint64_t nonce, at::IntArrayRef shape) {
  auto out = at::empty(shape, at::kDouble);
  expandUniform(seed, nonce, out.data_ptr<double>(), static_cast<std::size_t>(out.numel()));
  return out;
}

F64Share maskF64(const at::Tensor &x, const std::vector<at::Tensor> &masks, int maskBits) {
  F64Share out;
  out.share = x;
  if (masks.empty())
    return out;
  const double largest = x.abs().max().item<double>();
  const double bound = largest > 0 ? std::exp2(std::ceil(std::log2(largest))) : 1.0;
  out.scale = std::ldexp(bound, maskBits);
  // One pass, no temporaries. q is a power of two, so x/q and k·q are exact; s·mask is exact
  // (a 53-bit value times a power of two); the additions round as float64 always does, a
  // function of the integer x/q + Σ mask/q alone.
  const double q = std::ldexp(out.scale, -52), inverseQ = 1.0 / q, s = out.scale;
  const auto input = x.contiguous();
  out.share = at::empty_like(input);
  std::vector<at::Tensor> contiguousMasks;
  std::vector<const double *> m;
  for (const auto &mask : masks) {
    contiguousMasks.push_back(mask.contiguous());
    m.push_back(contiguousMasks.back().data_ptr<double>());
  }
  const double *in = input.data_ptr<double>();
  double *share = out.share.data_ptr<double>();
  const auto n = input.numel();
  // |x/q| ≤ 2^(52 − maskBits) < 2⁵¹: adding and taking away 1.5·2⁵² rounds it to the nearest
  // integer (ties to even) in two additions, where nearbyint is a library call.
  constexpr double kRounder = 0x1.8p52;
  for (std::int64_t i = 0; i < n; ++i) {
    // (IEEE arithmetic without -ffast-math: the compiler may not fold the pair away.)
    double v = ((in[i] * inverseQ + kRounder) - kRounder) * q;
    for (const double *mask : m)
      v += s * mask[i];
    share[i] = v;
  }
  out.bound = bound + out.scale * static_cast<double>(masks.size());
  return out;
}

} // namespace nesa::privacy
