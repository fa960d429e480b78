// A matrix kept in GGUF's Q8_0 form (per 32 values, one scale and 32 signed bytes) for local
// generation: a token's pass through it reads about a quarter of float32's bytes, and generation
// on a CPU is bound by the bytes it reads.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace nesa::llm {

/// Rows of Q8_0 blocks, their scales already in float32.
struct Q8Rows {
  std::int64_t rows = 0, columns = 0; ///< columns: a multiple of 32
  std::vector<std::int8_t> values;    ///< rows × columns
  std::vector<float> scales;          ///< rows × columns / 32
  at::Tensor gain; ///< [columns] multiplying x first (a folded RMSNorm gain); undefined: none

  /// Rows of `parts` one after the other (same columns), with `gain`.
  static Q8Rows concat(const std::vector<const Q8Rows *> &parts, const at::Tensor &gain);
  /// The rows in the order `order` gives (order[i]: the source row of row i).
  Q8Rows permuteRows(const std::vector<std::int64_t> &order) const;
};

/// True when q8MatMul takes `tokens` rows of input (1 to 8: generation and short prompts;
/// from 16 rows float32 GEMM is faster here, reusing each weight more).
bool q8Handles(std::int64_t tokens);

/// (x ⊙ gain)·Wᵀ for x of [tokens, columns]: [tokens, rows] (any number of tokens; fast for
/// those q8Handles takes). The product with the dequantized matrix up to float rounding: the sum
/// is taken in another order, a block's scale may multiply its partial sum rather than each
/// weight, and the gain multiplies x rather than being folded into the weights. AVX2 where the
/// CPU has it; rows on every core. Throws (c10::Error) for an input of another width.
at::Tensor q8MatMul(const Q8Rows &matrix, const at::Tensor &x);

} // namespace nesa::llm
