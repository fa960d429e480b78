// The baselines that learn latency from features: a random forest and gradient-boosted trees
// per arm (each predicts the arm's log latency; the lowest prediction wins), and ALORS
// (a low-rank factorization of tasks × arms, with a forest from features to task factors).
#include "metainf/arm.h"
#include "metainf/internal/boosted_trees.h"
#include "metainf/internal/learning.h"
#include "metainf/internal/selectors.h"

#include <cmath>
#include <limits>
#include <random>

namespace nesa::metainf::internal {
namespace {

constexpr double kNever = std::numeric_limits<double>::infinity(); // an arm without a model

/// One regressor of log latency per arm, trained on the tasks of the arm's level.
template <typename Model> class PerArmSelector : public Selector {
public:
  Result<void> train(const std::vector<Task> &tasks) override {
    m_models.clear();
    for (const auto &[level, group] : byLevel(tasks))
      for (int arm : armsOf(level)) {
        Rows x;
        std::vector<double> y;
        for (const Task *t : group) {
          x.push_back(t->features.vector());
          y.push_back(std::log(t->latencyMs[arm]));
        }
        auto fitted = fit(x, y, static_cast<std::uint64_t>(arm) + 1);
        if (!fitted)
          return fitted.error();
        m_models.emplace(arm, std::move(*fitted));
      }
    return {};
  }
  int choose(const TaskFeatures &f) const override {
    const auto x = f.vector();
    return lowestScoring(f.level, [&](int arm) {
      const auto it = m_models.find(arm);
      return it == m_models.end() ? kNever : predict(it->second, x);
    });
  }

protected:
  virtual Result<Model> fit(const Rows &x, const std::vector<double> &y,
                            std::uint64_t seed) const = 0;
  virtual double predict(const Model &model, const std::vector<double> &x) const = 0;

private:
  std::map<int, Model> m_models;
};

class ForestSelector final : public PerArmSelector<RegressionForest> {
public:
  std::string name() const override { return "rf"; }

protected:
  Result<RegressionForest> fit(const Rows &x, const std::vector<double> &y,
                               std::uint64_t seed) const override {
    RegressionForest forest;
    RegressionForest::Params params;
    params.seed = seed;
    forest.fit(x, y, params);
    return forest;
  }
  double predict(const RegressionForest &model, const std::vector<double> &x) const override {
    return model.predict(x);
  }
};

class BoostingSelector final : public PerArmSelector<BoostedTrees> {
public:
  std::string name() const override { return "gb"; }

protected:
  Result<BoostedTrees> fit(const Rows &x, const std::vector<double> &y,
                           std::uint64_t seed) const override {
    BoostedTrees trees;
    BoostedTrees::Params params = boostingParams();
    params.seed = seed;
    if (auto fitted = trees.fit(x, y, params); !fitted)
      return fitted.error();
    return trees;
  }
  double predict(const BoostedTrees &model, const std::vector<double> &x) const override {
    return model.predict({x})[0];
  }
};

/// ALORS (Mısır and Sebag): the matrix of each level's tasks × arms, holding log-slowdowns,
/// is factorized as arm means + U Vᵀ of rank 3 by alternating ridge least squares; a forest
/// per latent dimension maps a task's features to its row of U.
class AlorsSelector final : public Selector {
public:
  static constexpr int kRank = 3;
  static constexpr double kLambda = 0.1;
  std::string name() const override { return "alors"; }

  Result<void> train(const std::vector<Task> &tasks) override {
    m_levels.clear();
    for (const auto &[level, group] : byLevel(tasks)) {
      Level &l = m_levels[level];
      l.arms = armsOf(level);
      const std::size_t n = group.size(), m = l.arms.size();
      Rows r(n, std::vector<double>(m));
      l.mean.assign(m, 0);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t a = 0; a < m; ++a) {
          r[i][a] = logSlowdown(*group[i], l.arms[a]);
          l.mean[a] += r[i][a] / static_cast<double>(n);
        }
      for (auto &row : r)
        for (std::size_t a = 0; a < m; ++a)
          row[a] -= l.mean[a];
      std::mt19937_64 rng(11);
      std::normal_distribution<double> normal(0, 0.1);
      Rows u(n, std::vector<double>(kRank)), v(m, std::vector<double>(kRank));
      for (auto *side : {&u, &v})
        for (auto &row : *side)
          for (auto &e : row)
            e = normal(rng);
      const std::vector<double> ones(std::max(n, m), 1.0);
      for (int it = 0; it < 30; ++it) {
        for (std::size_t i = 0; i < n; ++i)
          u[i] = ridge(v, r[i], ones, kLambda);
        for (std::size_t a = 0; a < m; ++a) {
          std::vector<double> column(n);
          for (std::size_t i = 0; i < n; ++i)
            column[i] = r[i][a];
          v[a] = ridge(u, column, ones, kLambda);
        }
      }
      l.v = v;
      Rows x;
      for (const Task *t : group)
        x.push_back(t->features.vector());
      l.factor.resize(kRank);
      for (int k = 0; k < kRank; ++k) {
        std::vector<double> y(n);
        for (std::size_t i = 0; i < n; ++i)
          y[i] = u[i][k];
        RegressionForest::Params params;
        params.seed = 100 + static_cast<std::uint64_t>(k);
        l.factor[k].fit(x, y, params);
      }
    }
    return {};
  }

  int choose(const TaskFeatures &f) const override {
    const auto it = m_levels.find(f.level);
    if (it == m_levels.end())
      return defaultArm(f.level);
    const Level &l = it->second;
    const auto x = f.vector();
    std::vector<double> u(kRank);
    for (int k = 0; k < kRank; ++k)
      u[k] = l.factor[k].predict(x);
    std::map<int, double> score;
    for (std::size_t a = 0; a < l.arms.size(); ++a) {
      double s = l.mean[a];
      for (int k = 0; k < kRank; ++k)
        s += u[k] * l.v[a][k];
      score[l.arms[a]] = s;
    }
    return lowestScoring(f.level, [&](int arm) {
      const auto found = score.find(arm);
      return found == score.end() ? kNever : found->second;
    });
  }

private:
  struct Level {
    std::vector<int> arms;
    std::vector<double> mean;
    Rows v;
    std::vector<RegressionForest> factor;
  };
  std::map<std::string, Level> m_levels;
};

} // namespace

std::unique_ptr<Selector> makeForestSelector() { return std::make_unique<ForestSelector>(); }
std::unique_ptr<Selector> makeBoostingSelector() { return std::make_unique<BoostingSelector>(); }
std::unique_ptr<Selector> makeAlorsSelector() { return std::make_unique<AlorsSelector>(); }

} // namespace nesa::metainf::internal
