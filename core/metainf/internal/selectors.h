// The selectors behind makeSelectors(), and what they share.
#pragma once

#include "metainf/internal/boosted_trees.h"
#include "metainf/selector.h"

#include <functional>
#include <map>

namespace nesa::metainf::internal {

std::unique_ptr<Selector> makeDefaultSelector();
std::unique_ptr<Selector> makeSingleBestSelector();
std::unique_ptr<Selector> makeKnnSelector();
std::unique_ptr<Selector> makeIsacSelector();
std::unique_ptr<Selector> makeAlorsSelector();
std::unique_ptr<Selector> makeForestSelector();
std::unique_ptr<Selector> makeBoostingSelector();
std::unique_ptr<Selector> makeMetaInfSelector();

/// The boosted trees' settings, the same for the gradient-boosting baseline and ours (fixed
/// before any evaluation: neither is tuned on the data it is judged on).
BoostedTrees::Params boostingParams();

/// log(latency of `arm` / latency of the task's best arm): 0 for the best, >0 for the rest.
double logSlowdown(const Task &task, int arm);
/// The training tasks of each level.
std::map<std::string, std::vector<const Task *>> byLevel(const std::vector<Task> &tasks);
/// The arm of `level` with the lowest score(arm); the level's default when it has no arms
/// scored finite.
int lowestScoring(const std::string &level, const std::function<double(int)> &score);
/// The arm of `level` with the lowest mean log-slowdown over `tasks` (the single best arm of
/// those tasks); the default for none.
int bestOnAverage(const std::string &level, const std::vector<const Task *> &tasks);

} // namespace nesa::metainf::internal
