// Our selector: a cost model of the engine as a prior, and gradient-boosted trees that learn
// its error. One model over every (task, arm) pair, so what is learnt about round trips on one
// arm carries over to the others, and the prior's terms (round trips × RTT, bytes ÷ rate,
// FLOPs ÷ GFLOP/s) let it extrapolate to a network or a computer it was not trained on.
#include "metainf/arm.h"
#include "metainf/internal/boosted_trees.h"
#include "metainf/internal/learning.h"
#include "metainf/internal/selectors.h"

#include <algorithm>
#include <cmath>

namespace nesa::metainf::internal {
namespace {

/// The engine's costs for one arm, in milliseconds, before any learning.
struct CostTerms {
  double roundTrips = 0; ///< dependent round trips on the query's path
  double waitMs = 0;     ///< round trips × RTT
  double transferMs = 0; ///< bytes on the wire ÷ rate
  double computeMs = 0;  ///< linear FLOPs in the arm's arithmetic ÷ the slower side's rate

  std::vector<double> asRow() const { return {1.0, roundTrips, waitMs, transferMs, computeMs}; }
};

// Relative cost of a FLOP in each arithmetic against float32 BLAS (ring64: four 32-bit limb
// products and modular reductions; f64: double the bytes and half the SIMD lanes).
double arithmeticCost(const std::string &arithmetic) {
  if (arithmetic == "ring64")
    return 6;
  if (arithmetic == "f64-masked")
    return 2;
  return 1;
}

CostTerms costTerms(const TaskFeatures &f, const Arm &arm) {
  const auto &m = f.model;
  CostTerms c;
  // ring64 re-encodes between the ops of a chain: each op is its own round trip.
  const bool fusedPath = arm.wholeProgram || (arm.fused && arm.arithmetic != "ring64");
  c.roundTrips = arm.wholeProgram ? 1 : (fusedPath ? m.fusedCalls : m.unfusedCalls);
  const double callBytes = fusedPath ? m.fusedCallBytes : m.unfusedCallBytes;
  const double width = arm.arithmetic == "f32" ? 1 : 2; // 8-byte shares vs 4-byte floats
  const double wireBytes = callBytes * width * arm.shares;
  const double bytesPerMs = std::max(f.network.megabitsPerS, 1e-3) * 1e6 / 8 / 1000;
  c.waitMs = c.roundTrips * f.network.rttMs;
  c.transferMs = wireBytes / bytesPerMs;
  const double gflops =
      std::max(1e-3, std::min(f.hardware.clientGflops,
                              f.hardware.minerGflops > 0 ? f.hardware.minerGflops : INFINITY));
  c.computeMs = m.linearFlops * arithmeticCost(arm.arithmetic) * arm.shares / (gflops * 1e6);
  return c;
}

class MetaInfSelector final : public Selector {
public:
  std::string name() const override { return "metainf"; }

  Result<void> train(const std::vector<Task> &tasks) override {
    Rows priorRows, rows;
    std::vector<double> latency, weight;
    for (const auto &t : tasks)
      for (int arm : armsOf(t.features.level)) {
        priorRows.push_back(costTerms(t.features, allArms()[arm]).asRow());
        latency.push_back(t.latencyMs[arm]);
        weight.push_back(1 / (t.latencyMs[arm] * t.latencyMs[arm])); // relative error
      }
    m_prior = ridge(priorRows, latency, weight, 1e-9);
    for (auto &c : m_prior)
      c = std::max(c, 0.0);
    // The correction learns each arm's error relative to the other arms of its task: only the
    // order of a task's arms matters, so what a whole task costs (its size) is taken out.
    std::vector<double> residual;
    std::size_t i = 0;
    for (const auto &t : tasks) {
      const std::size_t first = residual.size();
      double sum = 0;
      for (int arm : armsOf(t.features.level)) {
        const double prior = priorMs(priorRows[i]);
        rows.push_back(
            row(t.features, allArms()[arm], costTerms(t.features, allArms()[arm]), prior));
        residual.push_back(std::log(latency[i]) - std::log(prior));
        sum += residual.back();
        ++i;
      }
      const double mean = sum / static_cast<double>(residual.size() - first);
      for (std::size_t k = first; k < residual.size(); ++k)
        residual[k] -= mean;
    }
    BoostedTrees::Params params = boostingParams();
    params.seed = 5;
    return m_correction.fit(rows, residual, params);
  }

  int choose(const TaskFeatures &f) const override {
    const auto arms = armsOf(f.level);
    Rows rows;
    std::vector<double> priors;
    for (int arm : arms) {
      const auto terms = costTerms(f, allArms()[arm]);
      priors.push_back(priorMs(terms.asRow()));
      rows.push_back(row(f, allArms()[arm], terms, priors.back()));
    }
    const auto correction = m_correction.predict(rows);
    std::map<int, double> predicted;
    for (std::size_t i = 0; i < arms.size(); ++i)
      predicted[arms[i]] = std::log(priors[i]) + correction[i];
    return lowestScoring(f.level, [&](int arm) { return predicted.at(arm); });
  }

private:
  double priorMs(const std::vector<double> &terms) const {
    double sum = 0;
    for (std::size_t j = 0; j < terms.size() && j < m_prior.size(); ++j)
      sum += m_prior[j] * terms[j];
    return std::max(sum, 0.01);
  }

  /// What the correction sees of one (task, arm): the task's features, the arm, its cost terms.
  static std::vector<double> row(const TaskFeatures &f, const Arm &arm, const CostTerms &c,
                                 double priorMs) {
    auto out = f.vector();
    const double arithmetic = arm.arithmetic == "f32" ? 0 : arm.arithmetic == "f64-masked" ? 1 : 2;
    const double more[] = {arithmetic,
                           static_cast<double>(arm.shares),
                           arm.fused ? 1.0 : 0.0,
                           arm.wholeProgram ? 1.0 : 0.0,
                           c.roundTrips,
                           std::log1p(c.waitMs),
                           std::log1p(c.transferMs),
                           std::log1p(c.computeMs),
                           std::log(priorMs)};
    out.insert(out.end(), std::begin(more), std::end(more));
    return out;
  }

  std::vector<double> m_prior;
  BoostedTrees m_correction;
};

} // namespace

std::unique_ptr<Selector> makeMetaInfSelector() { return std::make_unique<MetaInfSelector>(); }

} // namespace nesa::metainf::internal
