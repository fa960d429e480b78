// The arithmetic of shares: bundle ops in float64 and in the field Z/p (ring64), the limb
// decomposition that runs exact field products on float64 BLAS, encoding and mask expansion.
#pragma once

#include "model/linear_bundle.h"
#include "privacy/prg.h"
#include "privacy/share_job.h"

#include <ATen/core/Tensor.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nesa::privacy {

/// A bundle op made ready for computation: in float64 always, and in the forms its
/// PreparedForms asked for (the others stay undefined).
struct PreparedOp {
  model::LinearKind kind = model::LinearKind::Linear;
  std::vector<std::int64_t> stride, padding, dilation;
  std::int64_t groups = 1;
  std::int64_t inner = 0; ///< multiply-adds per output element (K)
  at::Tensor weight;      ///< float64
  at::Tensor bias;        ///< float64 [out], or undefined
  at::Tensor weight32;    ///< the bundle's own float32 weight (f32 jobs); forms.f32
  at::Tensor bias32;      ///< float32 [out], or undefined
  at::Tensor weightFixed; ///< int64 round(W · 2^fracBits), signed (not reduced); forms.field
  at::Tensor biasField;   ///< int64 field elements of round(b · 2^(2·fracBits)), or undefined
  int weightBits = 0;     ///< |weightFixed| < 2^weightBits
  int fracBits = 0;
  /// The channel dimension of this op's inputs and outputs (−1 for linear, 1 for convolutions).
  int channelDim() const { return kind == model::LinearKind::Linear ? -1 : 1; }
};

/// Which forms of an op's weights prepareOp makes beside float64. Each costs 4 (float32) or 8
/// (field) bytes a weight: for a model of a billion parameters, gigabytes per form.
struct PreparedForms {
  bool f32 = true;   ///< weight32 and bias32, for f32 jobs
  bool field = true; ///< weightFixed, weightBits and biasField, for ring64 jobs
};

/// The forms jobs of `arithmetic` compute with (float64 is always made: checks and magnitudes
/// use it whatever the arithmetic).
PreparedForms formsFor(ShareArithmetic arithmetic);

/// Prepares `op` with `fracBits` fractional bits for the field encoding, in `forms`.
PreparedOp prepareOp(const model::LinearOp &op, int fracBits, PreparedForms forms = {});

/// The ops of `bundle` prepared for `arithmetic` (and, for ring64, `fracBits`), shared by
/// everyone in this process who asks for the same bundle id (the client's engine and its
/// in-process miners) and freed when the last of them lets go. `bundleId` must be `bundle`'s
/// content id: a preparation is found by the id alone. Preparations of different bundles run
/// in parallel; a second caller for the same one waits for the first.
std::shared_ptr<const std::vector<PreparedOp>> sharedPreparedOps(const model::LinearBundle &bundle,
                                                                 const std::string &bundleId,
                                                                 ShareArithmetic arithmetic,
                                                                 int fracBits);

/// While alive, applyGeometry on this thread runs on CUDA device `device` (−1: the CPU).
class GpuScope {
public:
  explicit GpuScope(int device);
  ~GpuScope();
  GpuScope(const GpuScope &) = delete;
  GpuScope &operator=(const GpuScope &) = delete;

private:
  int m_previous;
};

/// Applies `op`'s geometry (linear, or convolution with its stride/padding/dilation) to float64
/// `x` with float64 `weight` and optional `bias`; `groups` overrides the op's groups.
at::Tensor applyGeometry(const PreparedOp &op, const at::Tensor &x, const at::Tensor &weight,
                         const at::Tensor &bias, std::int64_t groups);

/// How many bytes of unfolded input a float64 convolution's chunk of samples aims at: libtorch
/// unfolds a whole batch at once, and above the heap's 1 GiB limit every call would map and
/// zero that buffer afresh.
inline constexpr std::int64_t kConvolutionUnfoldBytes = std::int64_t{256} << 20;

/// Samples per libtorch call for a float64 convolution of `op` on an input of shape `input`
/// with weights of shape `weight`: as many as unfold to kConvolutionUnfoldBytes (at least one),
/// rounded down to whole rounds of `threads` when there are that many, at most the batch.
std::int64_t convolutionChunk(const PreparedOp &op, at::IntArrayRef input, at::IntArrayRef weight,
                              std::int64_t groups, int threads);

/// Why `op` cannot take an input of `shape` (wrong rank or channel count), or "" when it can.
std::string shapeMismatch(const PreparedOp &op, at::IntArrayRef shape);

/// op(x) in float64, with or without its bias.
at::Tensor applyF64(const PreparedOp &op, const at::Tensor &x, bool addBias);

/// op(x) in float32, with or without its bias: what a `local` run computes (on a GPU miner, in
/// float64 and rounded to float32).
at::Tensor applyF32(const PreparedOp &op, const at::Tensor &x, bool addBias);

/// A float64 linear map applied to one pair of limbs: f(xLimb, weightLimb), without bias.
using LimbOp = std::function<at::Tensor(const at::Tensor &x, const at::Tensor &weight)>;

/// Exact f(x, w) mod p for field-element tensor `x` (int64 in [0, p)) and integer weights `w`.
/// `w` holds small signed integers (|w| < 2^weightBits) when `smallWeights`, else field
/// elements. `inner` is the multiply-adds per output (K). Each limb product is computed by `f`
/// in float64, where it is exact because |Σ| < 2^52; the limbs are recombined mod p.
at::Tensor fieldApply(const at::Tensor &x, const at::Tensor &w, bool smallWeights, int weightBits,
                      std::int64_t inner, const LimbOp &f);

/// op(x) mod p for field-element `x` encoded at 2^fracBits; the result is at 2^(2·fracBits).
at::Tensor applyField(const PreparedOp &op, const at::Tensor &x, bool addBias);

/// Adds per-channel field elements `bias` [C] to `y` along `channelDim`, mod p.
at::Tensor fieldAddChannels(const at::Tensor &y, const at::Tensor &bias, int channelDim);

/// Elementwise (a + b) mod p and (a − b) mod p of field-element tensors.
at::Tensor fieldAdd(const at::Tensor &a, const at::Tensor &b);
at::Tensor fieldSub(const at::Tensor &a, const at::Tensor &b);

/// Fixed-point encoding of float64 `x` at 2^fracBits into field elements, and decoding.
at::Tensor fieldEncode(const at::Tensor &x, int fracBits);
at::Tensor fieldDecode(const at::Tensor &v, int fracBits);

/// The masks a seed expands to: field elements (ring64) or uniform [−1, 1) doubles (f64-masked).
at::Tensor expandFieldMask(const Seed &seed, std::uint64_t nonce, at::IntArrayRef shape);
at::Tensor expandUniformMask(const Seed &seed, std::uint64_t nonce, at::IntArrayRef shape);

/// The f64-masked share of an activation: what the masked miner receives.
struct F64Share {
  at::Tensor share; ///< x, rounded onto the masks' lattice, plus scale × Σ masks
  double scale = 1; ///< s = 2^maskBits × B, B = max|x| rounded up to a power of two
  double bound = 0; ///< the largest |share| can be: B + s × (number of masks)
};

/// Hides float64 `x` under `masks` (expandUniformMask's, each a multiple of 2⁻⁵² in [−1, 1)).
/// Every s·mask is then a multiple of q = s·2⁻⁵², and x is rounded onto that lattice first (an
/// error of at most q/2 = B·2^(maskBits−53), below what float64 keeps of the sum anyway): the
/// share is a function of the integer x/q + Σ mask/q alone, so two inputs bounded by B give
/// shares within 2^−maskBits of each other in total variation per element, with no low bits
/// or lattice offsets that depend on x (docs/privacy.md). With no masks (ee) it is x itself.
F64Share maskF64(const at::Tensor &x, const std::vector<at::Tensor> &masks, int maskBits);

} // namespace nesa::privacy
