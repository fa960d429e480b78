// Benchmark fixtures cannot go on without their setup: a failed step ends the run with a message.
#pragma once

#include "util/result.h"

#include <cstdlib>
#include <iostream>

namespace nesa::bench {

/// The value of `result`, or exit(1) after printing "SUITE suite: WHAT: message".
template <typename T> T orDie(Result<T> result, const char *suite, const char *what) {
  if (!result) {
    std::cerr << suite << " suite: " << what << ": " << result.error().message << '\n';
    std::exit(1);
  }
  return std::move(result).value();
}

/// Returns when `result` succeeded, or exits(1) as above.
inline void orDie(Result<void> result, const char *suite, const char *what) {
  if (!result) {
    std::cerr << suite << " suite: " << what << ": " << result.error().message << '\n';
    std::exit(1);
  }
}

} // namespace nesa::bench
