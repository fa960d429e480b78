// Field arithmetic, the limb-decomposed exact products, encoding and mask expansion.
#include "privacy/field.h"
#include "privacy/internal/share_kernels.h"
#include "privacy/local_miner.h"
#include "privacy/prg.h"
#include "privacy/rounding_allowance.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>

using namespace nesa::privacy;
namespace fieldns = nesa::privacy::field;

namespace {

// Reference (x · wᵀ) mod p with 128-bit integers: x [n, k] field elements, w [m, k] signed.
at::Tensor referenceLinear(const at::Tensor &x, const at::Tensor &w) {
  const auto n = x.size(0), k = x.size(1), m = w.size(0);
  auto out = at::zeros({n, m}, at::kLong);
  const auto *xd = reinterpret_cast<const std::uint64_t *>(x.data_ptr<std::int64_t>());
  const auto *wd = w.data_ptr<std::int64_t>();
  auto *od = reinterpret_cast<std::uint64_t *>(out.data_ptr<std::int64_t>());
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < m; ++j) {
      std::uint64_t acc = 0;
      for (std::int64_t t = 0; t < k; ++t)
        acc = fieldns::add(acc, fieldns::mul(xd[i * k + t], fieldns::fromSigned(wd[j * k + t])));
      od[i * m + j] = acc;
    }
  return out;
}

at::Tensor randomField(std::vector<std::int64_t> shape) {
  return expandFieldMask(randomSeed(), 0, shape);
}

/// What a masked miner sees of every element but the first (which holds the bound B = 1, the
/// same for every input compared) when each element but the first is `value`, or uniform in
/// [−1, 1) when `value` is NaN; `masks` fresh masks.
struct Seen {
  std::vector<double> shares;
  double scale = 0;
};
Seen sharesOf(double value, int masks, int maskBits, std::int64_t n) {
  auto x = std::isnan(value) ? expandUniformMask(randomSeed(), 0, {n + 1})
                             : at::full({n + 1}, value, at::kDouble);
  x[0] = 1.0;
  std::vector<at::Tensor> drawn;
  for (int i = 0; i < masks; ++i)
    drawn.push_back(expandUniformMask(randomSeed(), 0, {n + 1}));
  const auto share = maskF64(x, drawn, maskBits);
  const auto *d = share.share.data_ptr<double>();
  return {std::vector<double>(d + 1, d + 1 + n), share.scale};
}

/// The fraction of shares on the lattice q = s·2⁻⁵² of the masks.
double onLattice(const Seen &seen) {
  const double q = std::ldexp(seen.scale, -52);
  std::size_t on = 0;
  for (const double v : seen.shares)
    on += std::fmod(v, q) == 0 ? 1 : 0;
  return static_cast<double>(on) / static_cast<double>(seen.shares.size());
}

/// Two-sample chi-square statistic of the lowest 8 bits of share/q (255 degrees of freedom).
double lowBitsChiSquare(const Seen &a, const Seen &b) {
  const auto histogram = [](const Seen &seen) {
    std::vector<double> counts(256, 0);
    const double q = std::ldexp(seen.scale, -52);
    for (const double v : seen.shares)
      counts[static_cast<std::uint64_t>(static_cast<std::int64_t>(std::floor(v / q))) & 255] += 1;
    return counts;
  };
  const auto ha = histogram(a), hb = histogram(b);
  double chi = 0;
  for (int i = 0; i < 256; ++i)
    if (ha[i] + hb[i] > 0)
      chi += (ha[i] - hb[i]) * (ha[i] - hb[i]) / (ha[i] + hb[i]);
  return chi;
}

/// Two-sample Kolmogorov–Smirnov distance of share/s.
double ksDistance(Seen a, Seen b) {
  std::sort(a.shares.begin(), a.shares.end());
  std::sort(b.shares.begin(), b.shares.end());
  const double n = static_cast<double>(a.shares.size()), m = static_cast<double>(b.shares.size());
  std::size_t i = 0, j = 0;
  double worst = 0;
  while (i < a.shares.size() && j < b.shares.size()) {
    const double v = std::min(a.shares[i] / a.scale, b.shares[j] / b.scale);
    while (i < a.shares.size() && a.shares[i] / a.scale <= v)
      ++i;
    while (j < b.shares.size() && b.shares[j] / b.scale <= v)
      ++j;
    worst = std::max(worst, std::abs(static_cast<double>(i) / n - static_cast<double>(j) / m));
  }
  return worst;
}

/// Shares at or beyond the masks' own range, ±s × masks: only an input can put them there.
std::size_t beyondTheMasks(const Seen &seen, int masks) {
  const double edge = seen.scale * masks;
  return static_cast<std::size_t>(std::count_if(seen.shares.begin(), seen.shares.end(),
                                                [&](double v) { return std::abs(v) >= edge; }));
}

// A convolution of `dims` dimensions with these strides, paddings and dilations.
PreparedOp convolution(int dims, std::vector<std::int64_t> stride,
                       std::vector<std::int64_t> padding, std::vector<std::int64_t> dilation) {
  PreparedOp op;
  op.kind = dims == 1   ? nesa::model::LinearKind::Conv1d
            : dims == 2 ? nesa::model::LinearKind::Conv2d
                        : nesa::model::LinearKind::Conv3d;
  op.stride = std::move(stride);
  op.padding = std::move(padding);
  op.dilation = std::move(dilation);
  return op;
}

} // namespace

class TestShareKernels : public QObject {
  Q_OBJECT
private Q_SLOTS:
  void fieldBasics() {
    const std::uint64_t a = fieldns::kP - 5, b = 123456789012345ULL;
    QCOMPARE(fieldns::add(a, 10), std::uint64_t{5});
    QCOMPARE(fieldns::sub(3, 5), fieldns::kP - 2);
    const auto wide = static_cast<fieldns::Uint128>(a) * b % fieldns::kP;
    QCOMPARE(fieldns::mul(a, b), static_cast<std::uint64_t>(wide));
    QCOMPARE(fieldns::shiftLeft(1, 61), std::uint64_t{1});
    QCOMPARE(fieldns::shiftLeft(b, 17), fieldns::mul(b, std::uint64_t{1} << 17));
    QCOMPARE(fieldns::toSigned(fieldns::fromSigned(-42)), std::int64_t{-42});
    QCOMPARE(fieldns::decode(fieldns::encode(-3.25, 18), 18), -3.25);
  }

  void limbProductsAreExactForLinear_data() {
    QTest::addColumn<int>("inner");
    QTest::addColumn<int>("weightScale");
    QTest::newRow("small K") << 16 << 1000;
    QTest::newRow("K 1000, 20-bit weights") << 1000 << (1 << 20);
    QTest::newRow("K 5000, 28-bit weights (weights split into limbs)") << 5000 << (1 << 28);
  }

  void limbProductsAreExactForLinear() {
    QFETCH(int, inner);
    QFETCH(int, weightScale);
    const auto x = randomField({5, inner});
    const auto w = at::randint(-weightScale, weightScale, {7, inner}, at::kLong);
    const int bits = 64 - __builtin_clzll(static_cast<unsigned long long>(weightScale));
    const auto got =
        fieldApply(x, w, true, bits, inner,
                   [](const at::Tensor &xl, const at::Tensor &wl) { return at::linear(xl, wl); });
    QVERIFY(at::equal(got, referenceLinear(x, w)));
  }

  void limbProductsAreExactForFullFieldWeights() {
    const auto x = randomField({3, 40});
    const auto w = randomField({4, 40}); // field elements, as the check vectors are
    const auto got =
        fieldApply(x, w, false, 61, 40,
                   [](const at::Tensor &xl, const at::Tensor &wl) { return at::linear(xl, wl); });
    // Reference: field elements are their own signed representatives only below p/2, so use
    // the general product directly.
    auto expected = at::zeros({3, 4}, at::kLong);
    const auto *xd = reinterpret_cast<const std::uint64_t *>(x.data_ptr<std::int64_t>());
    const auto *wd = reinterpret_cast<const std::uint64_t *>(w.data_ptr<std::int64_t>());
    auto *ed = reinterpret_cast<std::uint64_t *>(expected.data_ptr<std::int64_t>());
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j)
        for (int t = 0; t < 40; ++t)
          ed[i * 4 + j] = fieldns::add(ed[i * 4 + j], fieldns::mul(xd[i * 40 + t], wd[j * 40 + t]));
    QVERIFY(at::equal(got, expected));
  }

  // Several outputs (by patches: 27 inputs per output) and one (a check's, by shifted
  // matrix-vector products).
  void limbProductsAreExactForConvolution_data() {
    QTest::addColumn<int>("outputs");
    QTest::newRow("four outputs") << 4;
    QTest::newRow("one output") << 1;
  }
  void limbProductsAreExactForConvolution() {
    QFETCH(int, outputs);
    const auto x = randomField({2, 3, 6, 6});
    const auto w = at::randint(-(1 << 19), 1 << 19, {outputs, 3, 3, 3}, at::kLong);
    const auto got =
        fieldApply(x, w, true, 20, 27, [&](const at::Tensor &xl, const at::Tensor &wl) {
          return applyGeometry(convolution(2, {1, 1}, {0, 0}, {1, 1}), xl, wl, at::Tensor(), 1);
        });
    // im2col by views (works on int64), then the 128-bit reference product.
    const auto patches = x.unfold(2, 3, 1)
                             .unfold(3, 3, 1)
                             .permute({0, 2, 3, 1, 4, 5})
                             .reshape({32, 27})
                             .contiguous();
    const auto expected = referenceLinear(patches, w.reshape({outputs, 27}).contiguous())
                              .reshape({2, 16, outputs})
                              .permute({0, 2, 1})
                              .reshape({2, outputs, 4, 4});
    QVERIFY(at::equal(got, expected.contiguous()));
  }

  // How many samples a float64 convolution hands libtorch at once: as many as unfold to about
  // 256 MiB, in whole rounds of the threads, never more than the batch.
  void convolutionChunksUnfoldToAboutAQuarterGigabyte() {
    // A 16-channel 3x3 layer on Colin27's 217x181 slices: 45.2 MB a sample.
    const auto same = convolution(2, {1, 1}, {1, 1}, {1, 1});
    const std::vector<std::int64_t> brain{96, 16, 217, 181}, weight{16, 16, 3, 3};
    QCOMPARE(convolutionChunk(same, brain, weight, 1, 1), std::int64_t{5});
    QCOMPARE(convolutionChunk(same, brain, weight, 1, 2), std::int64_t{4});
    QCOMPARE(convolutionChunk(same, brain, weight, 1, 8), std::int64_t{5}); // fewer than threads
    // Stride 2 unfolds only the output's positions (109 x 91): 11.4 MB a sample.
    const auto strided = convolution(2, {2, 2}, {1, 1}, {1, 1});
    QCOMPARE(convolutionChunk(strided, brain, weight, 1, 2), std::int64_t{22});
    QCOMPARE(convolutionChunk(same, std::vector<std::int64_t>{3, 16, 217, 181}, weight, 1, 2),
             std::int64_t{3});
    // An op without a padding per dimension is left to libtorch whole (and its error).
    QCOMPARE(convolutionChunk(convolution(2, {1, 1}, {}, {1, 1}), brain, weight, 1, 2),
             std::int64_t{96});
  }

  // A float64 batch whose unfolded input passes 256 MiB (75.5 MB a sample here; on two threads
  // chunks of 2, 2, 2 and 1) is convolved in chunks: the same as one call over the whole batch,
  // to float64 rounding (a lone sample's product may be split over BLAS's threads instead).
  void largeBatchesAreConvolvedInChunksToTheSameResult() {
    const int threadsBefore = at::get_num_threads();
    at::set_num_threads(2);
    at::manual_seed(11);
    const auto x = at::randn({7, 64, 128, 128}, at::kDouble);
    const auto w = at::randn({4, 64, 3, 3}, at::kDouble);
    const auto b = at::randn({4}, at::kDouble);
    const auto op = convolution(2, {1, 1}, {1, 1}, {1, 1});
    QCOMPARE(convolutionChunk(op, x.sizes(), w.sizes(), 1, 2), std::int64_t{2});
    const auto got = applyGeometry(op, x, w, b, 1);
    const auto expected = at::conv2d(x, w, b, {1, 1}, {1, 1});
    at::set_num_threads(threadsBefore);
    QCOMPARE(got.sizes(), expected.sizes());
    const double error = (got - expected).abs().max().item<double>();
    QVERIFY2(error < 1e-11, qPrintable(QString::number(error)));
  }

  // A check's stride-1 convolution to one output goes through one shifted matrix-vector product
  // per kernel tap: the same as libtorch's convolution to float64 rounding, in one to three
  // dimensions, with padding and dilation (each dimension its own), kernels as large as the
  // padded input, and a non-contiguous input. The last row, several outputs, is libtorch's
  // path (72 inputs per output), under the same comparison.
  void shiftedConvolutionsEqualLibtorchs_data() {
    QTest::addColumn<bool>("float32"); // a float32 job or check (applyF32) instead of float64
    QTest::addColumn<int>("outputs");
    QTest::addColumn<QList<int>>("kernel");
    QTest::addColumn<QList<int>>("padding");
    QTest::addColumn<QList<int>>("dilation");
    QTest::newRow("2-D 3x3, padded")
        << false << 1 << QList<int>{3, 3} << QList<int>{1, 1} << QList<int>{1, 1};
    QTest::newRow("2-D 5x5, unpadded")
        << false << 1 << QList<int>{5, 5} << QList<int>{0, 0} << QList<int>{1, 1};
    QTest::newRow("2-D 3x3, dilated")
        << false << 1 << QList<int>{3, 3} << QList<int>{2, 2} << QList<int>{2, 2};
    QTest::newRow("2-D 1x1") << false << 1 << QList<int>{1, 1} << QList<int>{0, 0}
                             << QList<int>{1, 1};
    QTest::newRow("2-D kernel as large as the input")
        << false << 1 << QList<int>{9, 8} << QList<int>{0, 0} << QList<int>{1, 1};
    QTest::newRow("1-D 3, padded") << false << 1 << QList<int>{3} << QList<int>{1} << QList<int>{1};
    QTest::newRow("3-D, each dimension its own padding and dilation")
        << false << 1 << QList<int>{3, 2, 3} << QList<int>{2, 0, 1} << QList<int>{1, 2, 3};
    QTest::newRow("float32, 2-D 3x3, padded")
        << true << 1 << QList<int>{3, 3} << QList<int>{1, 1} << QList<int>{1, 1};
    QTest::newRow("float32, 3-D, each dimension its own padding and dilation")
        << true << 1 << QList<int>{3, 2, 3} << QList<int>{2, 0, 1} << QList<int>{1, 2, 3};
    QTest::newRow("2-D 3x3, several outputs (libtorch)")
        << false << 5 << QList<int>{3, 3} << QList<int>{1, 1} << QList<int>{1, 1};
  }
  void shiftedConvolutionsEqualLibtorchs() {
    QFETCH(bool, float32);
    QFETCH(int, outputs);
    QFETCH(QList<int>, kernel);
    QFETCH(QList<int>, padding);
    QFETCH(QList<int>, dilation);
    at::manual_seed(5);
    const auto dims = kernel.size();
    std::vector<std::int64_t> xShape{8, 3}, wShape{outputs, 8}, ones(dims, 1), pads, dilations;
    for (qsizetype d = 0; d < dims; ++d) {
      xShape.push_back(9 - d);
      wShape.push_back(kernel[d]);
      pads.push_back(padding[d]);
      dilations.push_back(dilation[d]);
    }
    // Channels first in memory: the batch dimension is not the outer one.
    const auto x = at::randn(xShape, at::kDouble).transpose(0, 1);
    const auto w = at::randn(wShape, at::kDouble);
    const auto b = at::randn({outputs}, at::kDouble);
    auto op = convolution(static_cast<int>(dims), ones, pads, dilations);
    op.weight32 = w.to(at::kFloat);
    op.bias32 = b.to(at::kFloat);
    const auto got = float32 ? applyF32(op, x.to(at::kFloat), true).to(at::kDouble)
                             : applyGeometry(op, x, w, b, 1);
    const auto expected = dims == 1   ? at::conv1d(x, w, b, ones, pads, dilations)
                          : dims == 2 ? at::conv2d(x, w, b, ones, pads, dilations)
                                      : at::conv3d(x, w, b, ones, pads, dilations);
    QCOMPARE(got.sizes(), expected.sizes());
    QVERIFY(got.is_contiguous());
    const double error = (got - expected).abs().max().item<double>();
    QVERIFY2(error < (float32 ? 1e-4 : 1e-12), qPrintable(QString::number(error)));
  }

  void encodeDecodeRoundTrips() {
    const auto x = at::randn({100}, at::kDouble) * 1000;
    const auto back = fieldDecode(fieldEncode(x, 18), 18);
    QVERIFY((back - x).abs().max().item<double>() <= std::ldexp(1.0, -19) * 1.0001);
  }

  // What a masked miner sees for x = 0, for x = 2⁻²⁰·B and for random x, under the same bound B,
  // is indistinguishable by every test here — lattice membership, low-bit histograms, the
  // distribution of magnitudes and its tails — over 2²⁰ samples each (docs/privacy.md proves
  // the 2^−maskBits bound; 2²⁰ samples resolve differences down to about 4·10⁻³). The same
  // tests do tell x = B from x = 0 at maskBits = 8, where the bound is 2⁻⁸: they have power.
  void f64SharesHideTheInputAtTheDocumentedBound_data() {
    QTest::addColumn<int>("masks");
    QTest::newRow("two shares (one mask)") << 1;
    QTest::newRow("three shares (two masks)") << 2;
  }
  void f64SharesHideTheInputAtTheDocumentedBound() {
    QFETCH(int, masks);
    constexpr std::int64_t n = 1 << 20;
    constexpr int maskBits = 20; // the default
    const Seen zero = sharesOf(0.0, masks, maskBits, n);
    const Seen tiny = sharesOf(std::ldexp(1.0, -20), masks, maskBits, n);
    const Seen random = sharesOf(std::nan(""), masks, maskBits, n);
    QCOMPARE(zero.scale, tiny.scale);
    QCOMPARE(zero.scale, random.scale);
    // Every share is on the masks' lattice, whatever the input: no residue to read.
    QCOMPARE(onLattice(zero), 1.0);
    QCOMPARE(onLattice(tiny), 1.0);
    QCOMPARE(onLattice(random), 1.0);
    // Low bits: a two-sample chi-square with 255 degrees of freedom; 400 is exceeded by chance
    // with probability below 10⁻⁸.
    for (const Seen *other : {&tiny, &random}) {
      const double chi = lowBitsChiSquare(zero, *other);
      QVERIFY2(chi < 400, QByteArray::number(chi));
    }
    // Magnitudes: the two-sample KS distance stays below its 10⁻⁶ critical value, and shares
    // leave the range the masks alone cover no more often than the bound allows (n·2^−maskBits
    // = 1 expected at most; more than 8 has a chance below 10⁻⁵).
    const double critical = 2.76 * std::sqrt(2.0 / n);
    QCOMPARE(beyondTheMasks(zero, masks), std::size_t{0});
    for (const Seen *other : {&tiny, &random}) {
      const double d = ksDistance(zero, *other);
      QVERIFY2(d < critical, QByteArray::number(d));
      QVERIFY(beyondTheMasks(*other, masks) <= 8);
    }

    // The same tests at maskBits = 8, where x = B and x = 0 differ by 2⁻⁸ of the mask: the tail
    // test sees it (about n/2⁹ shares beyond the masks' range for x = B, none for x = 0).
    const Seen weakZero = sharesOf(0.0, 1, 8, n), weakOne = sharesOf(1.0, 1, 8, n);
    QCOMPARE(beyondTheMasks(weakZero, 1), std::size_t{0});
    QVERIFY(beyondTheMasks(weakOne, 1) > n / 1024);
  }

  // A juror's allowance for a float64 answer follows Σ|w|·|x|, not the answer: on an input whose
  // large terms cancel, two honest orders of summation differ by far more than 2⁻³⁰ of the
  // answer (the rule jurors used before, which convicts an honest miner on other hardware), yet
  // stay within the allowance; an answer off by more than rounding can explain is still caught.
  void jurorsAllowRoundingByTheTermsNotTheAnswer() {
    constexpr std::int64_t n = 4096;
    nesa::model::LinearOp op;
    op.weight = nesa::model::TensorData::fromFloats({1, n}, std::vector<float>(n, 1.0f));
    nesa::model::LinearBundle bundle;
    bundle.ops.push_back(op);
    LocalMiner miner("juror");
    QVERIFY(miner.installBundle(bundle, bundle.id()));
    // Half the terms near +1e12, half near −1e12: the answer is their small remainders' sum.
    std::mt19937_64 random(5);
    std::vector<double> x(n);
    for (std::int64_t i = 0; i < n; ++i)
      x[i] = (i < n / 2 ? 1e12 : -1e12) + std::uniform_real_distribution<double>(-1, 1)(random);
    ShareJob job;
    job.bundleId = bundle.id();
    job.ops = {0};
    job.input = nesa::model::TensorData{nesa::model::DType::F64, {1, n}, {}};
    job.input->bytes.resize(n * 8);
    std::memcpy(job.input->bytes.data(), x.data(), n * 8);
    auto mine = miner.compute(job);
    QVERIFY(mine);
    const auto answerOf = [](double value) {
      nesa::model::TensorData t{nesa::model::DType::F64, {1, 1}, std::vector<std::uint8_t>(8)};
      std::memcpy(t.bytes.data(), &value, 8);
      return t;
    };
    double y = 0, reversed = 0;
    std::memcpy(&y, mine->output.bytes.data(), 8);
    for (std::int64_t i = n - 1; i >= 0; --i) // another machine: the other order
      reversed += x[i];
    const double apart = std::abs(y - reversed);
    qInfo("answer %.6g; another order's %.6g; apart %.3g; the old allowance %.3g", y, reversed,
          apart, std::ldexp(std::max(std::abs(y), 1.0), -30));
    QVERIFY2(apart > std::ldexp(std::max(std::abs(y), 1.0), -30), "the orders agree too well");
    auto scale = miner.roundingScale(job);
    QVERIFY2(scale, scale ? "" : scale.error().message.c_str());
    QVERIFY(!beyondRoundingAllowance(mine->output, answerOf(reversed), *scale));
    QVERIFY(!beyondRoundingAllowance(mine->output, mine->output, *scale));
    QVERIFY(beyondRoundingAllowance(mine->output, answerOf(y + 1e5), *scale));
    QVERIFY(beyondRoundingAllowance(mine->output, answerOf(std::nan("")), *scale));
    ShareJob ring = job;
    ring.arithmetic = ShareArithmetic::Ring64;
    QVERIFY(!miner.roundingScale(ring));
    // A share that is not finite is refused: its answer could be judged by nobody.
    ShareJob poisoned = job;
    const double nan = std::nan("");
    std::memcpy(poisoned.input->bytes.data() + 8, &nan, 8);
    auto refused = miner.compute(poisoned);
    QVERIFY(!refused && refused.error().message.find("not finite") != std::string::npos);
    QVERIFY(!allFinite(poisoned.input.value()));
    QVERIFY(allFinite(*job.input));
  }

  // f32 jobs (the ee level's) are computed in float32 and judged by float32's rounding: the
  // answer of float64 arithmetic is within the allowance, one off by 1 % of the terms is not.
  void f32JobsAreJudgedByFloat32Rounding() {
    constexpr std::int64_t n = 1024;
    std::mt19937_64 random(9);
    std::vector<float> w(n), x(n);
    for (std::int64_t i = 0; i < n; ++i) {
      w[i] = std::uniform_real_distribution<float>(-1, 1)(random);
      x[i] = std::uniform_real_distribution<float>(-1, 1)(random);
    }
    nesa::model::LinearOp op;
    op.weight = nesa::model::TensorData::fromFloats({1, n}, w);
    nesa::model::LinearBundle bundle;
    bundle.ops.push_back(op);
    LocalMiner miner("juror");
    QVERIFY(miner.installBundle(bundle, bundle.id()));
    ShareJob job;
    job.bundleId = bundle.id();
    job.ops = {0};
    job.arithmetic = ShareArithmetic::F32;
    job.input = nesa::model::TensorData::fromFloats({1, n}, x);
    auto mine = miner.compute(job);
    QVERIFY2(mine, mine ? "" : mine.error().message.c_str());
    QCOMPARE(mine->output.dtype, nesa::model::DType::F32);
    double exact = 0, terms = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      exact += double(w[i]) * double(x[i]);
      terms += std::abs(double(w[i]) * double(x[i]));
    }
    const auto answerOf = [](double value) {
      return nesa::model::TensorData::fromFloats({1, 1}, {static_cast<float>(value)});
    };
    auto scale = miner.roundingScale(job);
    QVERIFY2(scale, scale ? "" : scale.error().message.c_str());
    QVERIFY(std::abs(scale->gamma - n * 0x1p-24) < 0.05 * n * 0x1p-24); // float32's unit
    QVERIFY(!beyondRoundingAllowance(mine->output, answerOf(exact), *scale));
    QVERIFY(beyondRoundingAllowance(mine->output, answerOf(exact + 0.01 * terms), *scale));
    // A float64 answer to an f32 job is wrong whatever its value.
    nesa::model::TensorData wide{nesa::model::DType::F64, {1, 1}, std::vector<std::uint8_t>(8)};
    std::memcpy(wide.bytes.data(), &exact, 8);
    QVERIFY(beyondRoundingAllowance(mine->output, wide, *scale));
    // f32 jobs carry their float32 input: no seeds, no other types.
    ShareJob seeded = job;
    seeded.input.reset();
    seeded.seedShape = {1, n};
    auto noSeed = miner.compute(seeded);
    QVERIFY(!noSeed && noSeed.error().message.find("never seeded") != std::string::npos);
    ShareJob wrongType = job;
    wrongType.input = nesa::model::TensorData{nesa::model::DType::F64, {1, n}, {}};
    wrongType.input->bytes.resize(n * 8);
    auto refused = miner.compute(wrongType);
    QVERIFY(!refused && refused.error().message.find("f32") != std::string::npos);
  }

  void masksAreDeterministicPerSeedAndNonce() {
    const Seed seed = randomSeed();
    QVERIFY(at::equal(expandFieldMask(seed, 7, {64}), expandFieldMask(seed, 7, {64})));
    QVERIFY(!at::equal(expandFieldMask(seed, 7, {64}), expandFieldMask(seed, 8, {64})));
    QVERIFY(!at::equal(expandFieldMask(seed, 7, {64}), expandFieldMask(randomSeed(), 7, {64})));
    const auto f = expandFieldMask(seed, 1, {100000});
    QVERIFY(f.min().item<std::int64_t>() >= 0);
    QVERIFY(f.max().item<std::int64_t>() < static_cast<std::int64_t>(fieldns::kP));
    const auto u = expandUniformMask(seed, 1, {100000});
    QVERIFY(u.min().item<double>() >= -1.0 && u.max().item<double>() < 1.0);
    QVERIFY(std::abs(u.mean().item<double>()) < 0.02);
    QVERIFY(std::abs(u.var().item<double>() - 1.0 / 3.0) < 0.01);
  }

  // Preparation makes only the forms an arithmetic computes with (a billion weights cost 8 GB
  // per form), once per process: the client's engine and in-process miners share them, and they
  // are freed when the last holder lets go.
  void preparedOpsAreSharedAndOnlyInTheFormsAsked() {
    nesa::model::LinearOp op;
    op.weight = nesa::model::TensorData::fromFloats(
        {3, 4}, {1, -2, 3, -4, 5, -6, 7, -8, 9, 0.5f, -0.25f, 2});
    op.bias = nesa::model::TensorData::fromFloats({3}, {0.5f, -1, 2});
    nesa::model::LinearBundle bundle;
    bundle.ops.push_back(op);
    const auto id = bundle.id();
    auto f64 = sharedPreparedOps(bundle, id, ShareArithmetic::F64Masked, 16);
    QCOMPARE(f64.get(), sharedPreparedOps(bundle, id, ShareArithmetic::F64Masked, 20).get());
    const PreparedOp &float64 = (*f64)[0];
    QVERIFY(float64.weight.defined() && float64.bias.defined());
    QCOMPARE(float64.weight.scalar_type(), at::kDouble);
    QVERIFY(!float64.weight32.defined() && !float64.bias32.defined());
    QVERIFY(!float64.weightFixed.defined() && !float64.biasField.defined());

    const auto f32 = sharedPreparedOps(bundle, id, ShareArithmetic::F32, 16);
    QVERIFY(f32.get() != f64.get());
    QVERIFY((*f32)[0].weight32.defined() && (*f32)[0].bias32.defined());
    QVERIFY(!(*f32)[0].weightFixed.defined());

    const auto ring16 = sharedPreparedOps(bundle, id, ShareArithmetic::Ring64, 16);
    const auto ring20 = sharedPreparedOps(bundle, id, ShareArithmetic::Ring64, 20);
    QVERIFY(ring16.get() != ring20.get()); // the fixed-point scale shapes ring64's weights
    QCOMPARE((*ring16)[0].weightFixed[0][0].item<std::int64_t>(), std::int64_t{1} << 16);
    QCOMPARE((*ring20)[0].weightFixed[0][0].item<std::int64_t>(), std::int64_t{1} << 20);
    QVERIFY((*ring16)[0].biasField.defined() && !(*ring16)[0].weight32.defined());

    // The prepared forms compute what the full preparation computes.
    const PreparedOp all = prepareOp(op, 16);
    const auto x = at::randn({2, 4}, at::kDouble);
    QVERIFY(at::equal(applyF64(float64, x, true), applyF64(all, x, true)));
    const auto x32 = x.to(at::kFloat);
    QVERIFY(at::equal(applyF32((*f32)[0], x32, true), applyF32(all, x32, true)));

    const std::weak_ptr<const std::vector<PreparedOp>> released = f64;
    f64.reset();
    QVERIFY(released.expired());
  }

  // An in-process miner keeps the bundle it is handed instead of a copy, and still refuses one
  // that does not hash to the id it comes with.
  void aMinerInThisProcessHoldsTheSharedBundle() {
    nesa::model::LinearOp op;
    op.weight = nesa::model::TensorData::fromFloats({2, 2}, {1, 2, 3, 4});
    auto bundle = std::make_shared<nesa::model::LinearBundle>();
    bundle->ops.push_back(op);
    const std::shared_ptr<const nesa::model::LinearBundle> shared = bundle;
    LocalMiner miner("near");
    const std::string wrongId(64, '0');
    auto refused = miner.installShared(shared, wrongId);
    QVERIFY(!refused && refused.error().code == nesa::ErrorCode::Corrupt);
    QCOMPARE(shared.use_count(), 2L); // `bundle` and `shared`: the refused one was not kept
    {
      // Registered in this process under an id, a bundle is taken as checked (whoever
      // registered it vouches for the id) and not hashed again: the id is not looked at.
      LocalMiner trusting("trusting");
      nesa::model::shareInProcess(shared, wrongId);
      QVERIFY(trusting.installShared(shared, wrongId));
    }
    QVERIFY(miner.installShared(shared, shared->id()));
    QCOMPARE(shared.use_count(), 3L); // and the miner's
    ShareJob job;
    job.bundleId = shared->id();
    job.ops = {0};
    job.input =
        nesa::model::TensorData{nesa::model::DType::F64, {1, 2}, std::vector<std::uint8_t>(16)};
    const double in[2] = {1, -1};
    std::memcpy(job.input->bytes.data(), in, 16);
    auto answer = miner.compute(job);
    QVERIFY2(answer, answer ? "" : answer.error().message.c_str());
    double out[2];
    std::memcpy(out, answer->output.bytes.data(), 16);
    QCOMPARE(out[0], -1.0); // 1·1 + 2·(−1)
    QCOMPARE(out[1], -1.0); // 3·1 + 4·(−1)
    miner.uninstallBundle(shared->id());
    QCOMPARE(shared.use_count(), 2L);
  }
};

QTEST_GUILESS_MAIN(TestShareKernels)
#include "tst_share_kernels.moc"
