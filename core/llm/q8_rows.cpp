#include "llm/internal/q8_rows.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <immintrin.h>

#include <algorithm>

namespace nesa::llm {
namespace {

constexpr std::int64_t kBlock = 32;

// out[t] = Σ_b Σ_j (scale_b · q_bj) · x[t][b·32 + j] for one row, plainly.
void rowPlain(const std::int8_t *q, const float *scales, const float *x, std::int64_t columns,
              std::int64_t count, float *out, std::int64_t outStride) {
  for (std::int64_t t = 0; t < count; ++t) {
    float sum = 0;
    for (std::int64_t c = 0; c < columns; ++c)
      sum += scales[c / kBlock] * static_cast<float>(q[c]) * x[t * columns + c];
    out[t * outStride] = sum;
  }
}

__attribute__((target("avx2,fma"))) inline float horizontalSum(__m256 v) {
  __m128 half = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  half = _mm_add_ps(half, _mm_movehl_ps(half, half));
  half = _mm_add_ss(half, _mm_shuffle_ps(half, half, 1));
  return _mm_cvtss_f32(half);
}

// One input row with AVX2. (Splitting the sum into chains indexed by block parity made it
// twice slower: the indexed array left the registers.)
__attribute__((target("avx2,fma"))) float rowDotAvx2(const std::int8_t *q, const float *scales,
                                                     const float *x, std::int64_t blocks) {
  __m256 sum = _mm256_setzero_ps();
  for (std::int64_t b = 0; b < blocks; ++b) {
    __m256 block = _mm256_setzero_ps();
    for (std::int64_t j = 0; j < kBlock; j += 8) {
      const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(q + b * kBlock + j));
      const __m256 values = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes));
      block = _mm256_fmadd_ps(values, _mm256_loadu_ps(x + b * kBlock + j), block);
    }
    sum = _mm256_fmadd_ps(_mm256_set1_ps(scales[b]), block, sum);
  }
  return horizontalSum(sum);
}

// Several input rows with AVX2: each block's 32 weights are dequantized once (scale · q, as ggml
// dequantizes them) and multiplied with up to kMaxRows inputs while they are in registers.
constexpr std::int64_t kMaxRows = 8;
__attribute__((target("avx2,fma"))) void rowAvx2(const std::int8_t *q, const float *scales,
                                                 const float *x, std::int64_t columns,
                                                 std::int64_t count, float *out,
                                                 std::int64_t outStride) {
  __m256 sums[kMaxRows];
  for (std::int64_t t = 0; t < count; ++t)
    sums[t] = _mm256_setzero_ps();
  for (std::int64_t b = 0; b < columns / kBlock; ++b) {
    const __m256 scale = _mm256_set1_ps(scales[b]);
    __m256 w[4];
    for (int k = 0; k < 4; ++k) {
      const __m128i bytes =
          _mm_loadl_epi64(reinterpret_cast<const __m128i *>(q + b * kBlock + 8 * k));
      w[k] = _mm256_mul_ps(scale, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(bytes)));
    }
    for (std::int64_t t = 0; t < count; ++t) {
      const float *xb = x + t * columns + b * kBlock;
      __m256 a = _mm256_mul_ps(w[0], _mm256_loadu_ps(xb));
      __m256 c = _mm256_mul_ps(w[1], _mm256_loadu_ps(xb + 8));
      a = _mm256_fmadd_ps(w[2], _mm256_loadu_ps(xb + 16), a);
      c = _mm256_fmadd_ps(w[3], _mm256_loadu_ps(xb + 24), c);
      sums[t] = _mm256_add_ps(sums[t], _mm256_add_ps(a, c));
    }
  }
  for (std::int64_t t = 0; t < count; ++t)
    out[t * outStride] = horizontalSum(sums[t]);
}

} // namespace

Q8Rows Q8Rows::concat(const std::vector<const Q8Rows *> &parts, const at::Tensor &gain) {
  Q8Rows out;
  out.columns = parts.front()->columns;
  out.gain = gain;
  for (const auto *part : parts) {
    out.rows += part->rows;
    out.values.insert(out.values.end(), part->values.begin(), part->values.end());
    out.scales.insert(out.scales.end(), part->scales.begin(), part->scales.end());
  }
  return out;
}

Q8Rows Q8Rows::permuteRows(const std::vector<std::int64_t> &order) const {
  Q8Rows out;
  out.rows = rows;
  out.columns = columns;
  out.gain = gain;
  const auto blocks = columns / kBlock;
  out.values.resize(values.size());
  out.scales.resize(scales.size());
  for (std::int64_t r = 0; r < rows; ++r) {
    const auto from = order[static_cast<std::size_t>(r)];
    std::copy_n(values.begin() + from * columns, columns, out.values.begin() + r * columns);
    std::copy_n(scales.begin() + from * blocks, blocks, out.scales.begin() + r * blocks);
  }
  return out;
}

bool q8Handles(std::int64_t tokens) { return tokens >= 1 && tokens <= kMaxRows; }

at::Tensor q8MatMul(const Q8Rows &m, const at::Tensor &x) {
  TORCH_CHECK(x.dim() >= 1 && x.size(-1) == m.columns, "q8MatMul: input of width ",
              x.dim() ? x.size(-1) : 0, " for a matrix of ", m.columns, " columns");
  auto input = x.reshape({-1, m.columns}).to(at::kFloat);
  if (m.gain.defined())
    input = input * m.gain;
  input = input.contiguous();
  const auto count = input.size(0);
  auto y = at::empty({count, m.rows}, at::kFloat);
  const float *in = input.data_ptr<float>();
  float *out = y.data_ptr<float>();
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  at::parallel_for(0, m.rows, 64, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) {
      const std::int8_t *q = m.values.data() + r * m.columns;
      const float *scales = m.scales.data() + r * (m.columns / kBlock);
      if (avx2 && count == 1) {
        out[r] = rowDotAvx2(q, scales, in, m.columns / kBlock);
        continue;
      }
      for (std::int64_t t = 0; t < count; t += kMaxRows) { // inputs, kMaxRows at a time
        const auto n = std::min(kMaxRows, count - t);
        if (avx2)
          rowAvx2(q, scales, in + t * m.columns, m.columns, n, out + t * m.rows + r, m.rows);
        else
          rowPlain(q, scales, in + t * m.columns, m.columns, n, out + t * m.rows + r, m.rows);
      }
    }
  });
  return y;
}

} // namespace nesa::llm
