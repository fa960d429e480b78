// How far two honest float answers to one share job may differ, and the judgement built on it:
// what a juror uses before voting that a miner answered wrongly.
#pragma once

#include "model/tensor_data.h"

namespace nesa::privacy {

/// The rounding an answer to a float64 or float32 job may carry, element by element: at most
/// `gamma` times `magnitudes` (Σ|w|·|x| through the job's ops, plus |b|), in any order of
/// summation.
struct RoundingScale {
  model::TensorData magnitudes; ///< F64, the answer's shape
  double gamma = 0;             ///< the worst-case relative rounding of the whole chain
};

/// Whether `theirs` is further from `mine` than two honest computations, each in its own order
/// of summation, can be: |mine − theirs| > 2·gamma·magnitude in some element. Answers of another
/// shape or type, or with a value that is not finite, always are.
bool beyondRoundingAllowance(const model::TensorData &mine, const model::TensorData &theirs,
                             const RoundingScale &scale);

/// Whether every element of a float64 or float32 tensor is finite (true for other types).
bool allFinite(const model::TensorData &tensor);

} // namespace nesa::privacy
