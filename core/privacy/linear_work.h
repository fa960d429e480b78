// The linear work of one query, as its client program calls the miners: what MetaInf's
// features are made of (core/metainf/features.h).
#pragma once

#include "model/compiled_model.h"
#include "util/result.h"

#include <cstdint>
#include <vector>

namespace nesa::privacy {

/// Counts for one run of a compiled model on one input shape.
struct LinearWork {
  double parameters = 0;    ///< weights (and biases) of the bundle's ops
  double flops = 0;         ///< 2 × multiply-adds of the remote ops executed
  double ops = 0;           ///< remote ops executed
  double calls = 0;         ///< remote calls executed (one round trip each, call by call)
  double callBytes = 0;     ///< float32 bytes into and out of those calls
  double inputElements = 0; ///< elements of the input
};

/// Runs `model`'s client program once on zeros of `inputShape`, each remote call computed here
/// in float32, and counts its linear work. Costs about one `local` run; cache it per model and
/// shape. InvalidInput when the program cannot run on that shape.
Result<LinearWork> measureLinearWork(const model::CompiledModel &model,
                                     const std::vector<std::int64_t> &inputShape);

} // namespace nesa::privacy
