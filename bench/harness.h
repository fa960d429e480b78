// The benchmark harness: every figure is a ratio against a baseline measured in the same run.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace nesa::bench {

/// One measurement: a candidate and the baseline it is judged against. Each function runs the
/// work once and returns what it measured, in `unit` (usually milliseconds, timed with
/// timeMs so that setup can stay outside the timed region).
struct Comparison {
  std::string name;
  std::string unit;
  std::function<double()> baseline;
  std::function<double()> candidate;
  /// When > 0: at most this many repeats and no warm-up, whatever the options say (a comparison
  /// whose one run takes minutes, such as a scan sent over an emulated WAN).
  int maxRepeats = 0;
};

/// A named group of comparisons. `make` builds them (and their fixtures) when the suite runs.
struct Suite {
  std::string name;
  std::string description;
  std::function<std::vector<Comparison>()> make;
};

/// How many times to run each side.
struct Options {
  int warmups = 1; ///< runs discarded before measuring
  int repeats = 7; ///< measured runs per side; the median is reported
};

/// The medians of one comparison and their ratio (candidate / baseline).
struct Outcome {
  std::string suite;
  std::string name;
  std::string unit;
  double baseline = 0;
  double candidate = 0;
  double ratio = 0;
};

/// Median of `values` (mean of the middle two for an even count); 0 for none.
double median(std::vector<double> values);

/// Milliseconds that `work` takes, on a monotonic clock.
double timeMs(const std::function<void()> &work);

/// Runs both sides of `comparison`, alternating baseline and candidate on each repeat so that
/// drift on a shared machine hits both equally, and returns their medians.
Outcome run(const std::string &suite, const Comparison &comparison, const Options &options);

/// "SUITE/NAME: RATIOx (VALUE UNIT vs BASELINE UNIT)" — the one format scripts parse.
std::string formatOutcome(const Outcome &outcome);

/// Adds a suite to the process-wide registry (suites register from bench_main).
void registerSuite(Suite suite);

/// Every registered suite, in registration order.
const std::vector<Suite> &suites();

} // namespace nesa::bench
