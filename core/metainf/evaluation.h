// Judging selectors on held-out groups of tasks: leave one model family out, one hardware
// setting out, one network regime out. Every selector is trained on the same folds.
#pragma once

#include "metainf/dataset.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace nesa::metainf {

/// Which group a fold holds out.
enum class Split { Family, Hardware, Network };
/// "family", "hardware" or "network".
const char *splitName(Split split);
/// The inverse of splitName; InvalidInput otherwise.
Result<Split> parseSplit(const std::string &name);

/// How one selector did on the held-out tasks.
struct Score {
  std::string selector;
  int tasks = 0;
  double top1 = 0;       ///< share of tasks where it chose the fastest arm (ties count)
  double within5 = 0;    ///< share where its arm was within 5% of the fastest
  double vsDefault = 0;  ///< geometric mean of default latency ÷ its latency
  double vsGb = 0;       ///< the same against the gradient-boosting selector's choices
  double meanRegret = 0; ///< mean of its latency ÷ the fastest − 1
  double p95Regret = 0;  ///< 95th percentile (nearest rank) of the same
  double selectMs = 0;   ///< mean time of one choice
};

/// Scores `chosen` (an arm per task) against the measurements; `defaults` and `gb` are the
/// default's and gradient boosting's arms for the same tasks. Pure: what the test checks by hand.
Score scoreChoices(const std::string &selector, const std::vector<const Task *> &tasks,
                   const std::vector<int> &chosen, const std::vector<int> &defaults,
                   const std::vector<int> &gb);

/// Every selector's choices on the held-out tasks of one split's folds.
struct SplitChoices {
  Split split = Split::Family;
  std::vector<const Task *> heldOut;            ///< in fold order
  std::map<std::string, std::vector<int>> arms; ///< selector → its arm for each held-out task
  std::map<std::string, double> selectMs;       ///< selector → time of all its choices
};

/// Trains every selector on each fold of `split` (all groups but one) and has it choose for the
/// held-out group's tasks. InvalidInput when the split has fewer than two groups.
Result<SplitChoices> chooseOnFolds(const std::vector<Task> &tasks, Split split,
                                   const std::function<void(const std::string &)> &progress = {});

/// Scores the choices of one or more splits together (each task once per split), with the
/// oracle last.
std::vector<Score> scoreSplits(const std::vector<const SplitChoices *> &splits);

/// Trains every selector (and reads the oracle) on each fold of `splits` and scores their
/// choices on the held-out tasks of all those folds together. `progress` gets a line per fold.
/// InvalidInput when a split has fewer than two groups.
Result<std::vector<Score>> evaluate(const std::vector<Task> &tasks,
                                    const std::vector<Split> &splits,
                                    const std::function<void(const std::string &)> &progress = {});

/// "metainf/NAME: top1 0.93, within5 0.98, vs-default 1.70x, vs-gb 1.20x, regret 0.021,
/// p95-regret 0.08, select 0.04 ms": the line scripts read.
std::string formatScore(const Score &score);

} // namespace nesa::metainf
