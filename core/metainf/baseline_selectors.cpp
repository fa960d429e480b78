// The baselines that need no model of latency: the default arm, the single best arm, k nearest
// neighbours and ISAC (instance-specific algorithm configuration: cluster, then each cluster's
// best arm).
#include "metainf/arm.h"
#include "metainf/internal/learning.h"
#include "metainf/internal/selectors.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nesa::metainf::internal {

BoostedTrees::Params boostingParams() {
  BoostedTrees::Params params;
  params.rounds = 300;
  params.maxDepth = 6;
  params.eta = 0.08;
  params.subsample = 0.8;
  return params;
}

double logSlowdown(const Task &task, int arm) {
  return std::log(task.latencyMs[arm] / task.latencyMs[task.best()]);
}

std::map<std::string, std::vector<const Task *>> byLevel(const std::vector<Task> &tasks) {
  std::map<std::string, std::vector<const Task *>> out;
  for (const auto &t : tasks)
    out[t.features.level].push_back(&t);
  return out;
}

int lowestScoring(const std::string &level, const std::function<double(int)> &score) {
  int best = defaultArm(level);
  double bestScore = std::numeric_limits<double>::infinity();
  for (int arm : armsOf(level))
    if (const double s = score(arm); s < bestScore) {
      bestScore = s;
      best = arm;
    }
  return best;
}

int bestOnAverage(const std::string &level, const std::vector<const Task *> &tasks) {
  if (tasks.empty())
    return defaultArm(level);
  return lowestScoring(level, [&](int arm) {
    double sum = 0;
    for (const Task *t : tasks)
      sum += logSlowdown(*t, arm);
    return sum;
  });
}

namespace {

class DefaultSelector final : public Selector {
public:
  std::string name() const override { return "default"; }
  Result<void> train(const std::vector<Task> &) override { return {}; }
  int choose(const TaskFeatures &f) const override { return defaultArm(f.level); }
};

class SingleBestSelector final : public Selector {
public:
  std::string name() const override { return "single-best"; }
  Result<void> train(const std::vector<Task> &tasks) override {
    m_best.clear();
    for (const auto &[level, group] : byLevel(tasks))
      m_best[level] = bestOnAverage(level, group);
    return {};
  }
  int choose(const TaskFeatures &f) const override {
    const auto it = m_best.find(f.level);
    return it == m_best.end() ? defaultArm(f.level) : it->second;
  }

private:
  std::map<std::string, int> m_best;
};

/// The k training tasks of the same level nearest in standardized features vote with their
/// measured slowdowns: the arm with the lowest mean slowdown among them wins.
class KnnSelector final : public Selector {
public:
  static constexpr int kNeighbours = 7;
  std::string name() const override { return "knn"; }
  Result<void> train(const std::vector<Task> &tasks) override {
    m_tasks = tasks;
    Rows rows;
    for (const auto &t : m_tasks)
      rows.push_back(t.features.vector());
    m_scale.fit(rows);
    m_points.clear();
    for (const auto &row : rows)
      m_points.push_back(m_scale.apply(row));
    return {};
  }
  int choose(const TaskFeatures &f) const override {
    const auto x = m_scale.apply(f.vector());
    std::vector<std::pair<double, const Task *>> near;
    for (std::size_t i = 0; i < m_tasks.size(); ++i)
      if (m_tasks[i].features.level == f.level)
        near.emplace_back(distance2(x, m_points[i]), &m_tasks[i]);
    const auto k = std::min<std::size_t>(kNeighbours, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end(),
                      [](const auto &a, const auto &b) { return a.first < b.first; });
    std::vector<const Task *> chosen;
    for (std::size_t i = 0; i < k; ++i)
      chosen.push_back(near[i].second);
    return bestOnAverage(f.level, chosen);
  }

private:
  std::vector<Task> m_tasks;
  Standardizer m_scale;
  Rows m_points;
};

/// ISAC: k-means over the standardized features of each level's tasks; a query takes the
/// best arm on average of its nearest cluster. (ISAC proper sizes clusters with g-means; a
/// fixed k of about one cluster per 40 tasks, at most 16, stands in for it here.)
class IsacSelector final : public Selector {
public:
  std::string name() const override { return "isac"; }
  Result<void> train(const std::vector<Task> &tasks) override {
    m_levels.clear();
    for (const auto &[level, group] : byLevel(tasks)) {
      Level &l = m_levels[level];
      Rows rows;
      for (const Task *t : group)
        rows.push_back(t->features.vector());
      l.scale.fit(rows);
      for (auto &row : rows)
        row = l.scale.apply(row);
      const int k = std::clamp(static_cast<int>(group.size()) / 40, 1, 16);
      l.centres = kMeans(rows, k, 7);
      std::vector<std::vector<const Task *>> members(l.centres.size());
      for (std::size_t i = 0; i < group.size(); ++i)
        members[nearest(l.centres, rows[i])].push_back(group[i]);
      const int overall = bestOnAverage(level, group);
      for (const auto &m : members)
        l.best.push_back(m.empty() ? overall : bestOnAverage(level, m));
    }
    return {};
  }
  int choose(const TaskFeatures &f) const override {
    const auto it = m_levels.find(f.level);
    if (it == m_levels.end() || it->second.centres.empty())
      return defaultArm(f.level);
    const Level &l = it->second;
    return l.best[nearest(l.centres, l.scale.apply(f.vector()))];
  }

private:
  struct Level {
    Standardizer scale;
    Rows centres;
    std::vector<int> best;
  };
  std::map<std::string, Level> m_levels;
};

} // namespace

std::unique_ptr<Selector> makeDefaultSelector() { return std::make_unique<DefaultSelector>(); }
std::unique_ptr<Selector> makeSingleBestSelector() {
  return std::make_unique<SingleBestSelector>();
}
std::unique_ptr<Selector> makeKnnSelector() { return std::make_unique<KnnSelector>(); }
std::unique_ptr<Selector> makeIsacSelector() { return std::make_unique<IsacSelector>(); }

} // namespace nesa::metainf::internal
