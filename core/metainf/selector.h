// A selector learns, from measured tasks, which arm runs a query fastest, and then chooses
// an arm for a query it has not seen from its features alone.
#pragma once

#include "metainf/dataset.h"
#include "metainf/features.h"

#include <memory>
#include <string>
#include <vector>

namespace nesa::metainf {

/// Trained on tasks, then asked for queries: choose() sees only features, never a latency.
class Selector {
public:
  virtual ~Selector() = default;
  /// The name in `nesa metainf evaluate`'s table ("gb", "metainf").
  virtual std::string name() const = 0;
  /// Learns from `tasks` (every arm of each task's level measured). Deterministic: the same
  /// tasks give the same selector.
  virtual Result<void> train(const std::vector<Task> &tasks) = 0;
  /// The arm (index into allArms(), one of armsOf(features.level)) to run the query with, for
  /// a user at the level's default settings, for whom every arm of the level is at least as
  /// private (armsAtLeast). Choosing under a stronger floor is not built yet (docs/metainf.md).
  virtual int choose(const TaskFeatures &features) const = 0;
};

/// The baselines and ours, in the table's order: default, single-best, knn, isac, alors, rf,
/// gb, metainf. (The oracle is not a selector: the evaluation reads it from the measurements.)
std::vector<std::unique_ptr<Selector>> makeSelectors();
/// One of makeSelectors() by name; NotFound listing the names otherwise.
Result<std::unique_ptr<Selector>> makeSelector(const std::string &name);

} // namespace nesa::metainf
