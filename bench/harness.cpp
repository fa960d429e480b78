#include "harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace nesa::bench {
namespace {

std::vector<Suite> &registry() {
  static std::vector<Suite> all;
  return all;
}

// Three significant digits, without exponent notation for everyday magnitudes.
std::string number(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3g", value);
  if (std::string(text).find('e') != std::string::npos)
    std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

} // namespace

double median(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

double timeMs(const std::function<void()> &work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  const auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::milli>(end - start).count();
}

Outcome run(const std::string &suite, const Comparison &comparison, const Options &options) {
  const bool capped = comparison.maxRepeats > 0;
  const int warmups = capped ? 0 : options.warmups;
  const int repeats = capped ? std::min(options.repeats, comparison.maxRepeats) : options.repeats;
  for (int i = 0; i < warmups; ++i) {
    comparison.baseline();
    comparison.candidate();
  }
  std::vector<double> base, cand;
  for (int i = 0; i < repeats; ++i) {
    base.push_back(comparison.baseline());
    cand.push_back(comparison.candidate());
  }
  Outcome outcome{suite, comparison.name, comparison.unit, median(base), median(cand), 0};
  outcome.ratio = outcome.baseline != 0 ? outcome.candidate / outcome.baseline : 0;
  return outcome;
}

std::string formatOutcome(const Outcome &o) {
  return o.suite + "/" + o.name + ": " + number(o.ratio) + "x (" + number(o.candidate) + " " +
         o.unit + " vs " + number(o.baseline) + " " + o.unit + ")";
}

void registerSuite(Suite suite) { registry().push_back(std::move(suite)); }

const std::vector<Suite> &suites() { return registry(); }

} // namespace nesa::bench
