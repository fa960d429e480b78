#include "metainf/evaluation.h"

#include "metainf/arm.h"
#include "metainf/selector.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace nesa::metainf {
namespace {

const std::string &groupOf(const Task &t, Split split) {
  switch (split) {
  case Split::Family: return t.family;
  case Split::Hardware: return t.hardware;
  case Split::Network: return t.network;
  }
  return t.family;
}

} // namespace

const char *splitName(Split split) {
  switch (split) {
  case Split::Family: return "family";
  case Split::Hardware: return "hardware";
  case Split::Network: return "network";
  }
  return "?";
}

Result<Split> parseSplit(const std::string &name) {
  for (Split s : {Split::Family, Split::Hardware, Split::Network})
    if (name == splitName(s))
      return s;
  return fail(ErrorCode::InvalidInput,
              "'" + name + "' is not a split (family, hardware or network)");
}

Score scoreChoices(const std::string &selector, const std::vector<const Task *> &tasks,
                   const std::vector<int> &chosen, const std::vector<int> &defaults,
                   const std::vector<int> &gb) {
  Score s;
  s.selector = selector;
  s.tasks = static_cast<int>(tasks.size());
  if (tasks.empty())
    return s;
  std::vector<double> regrets;
  double logVsDefault = 0, logVsGb = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const Task &t = *tasks[i];
    const double best = t.latencyMs[t.best()];
    const double got = t.latencyMs[chosen[i]];
    s.top1 += got <= best ? 1 : 0;
    s.within5 += got <= 1.05 * best ? 1 : 0;
    regrets.push_back(got / best - 1);
    logVsDefault += std::log(t.latencyMs[defaults[i]] / got);
    logVsGb += std::log(t.latencyMs[gb[i]] / got);
  }
  const auto n = static_cast<double>(tasks.size());
  s.top1 /= n;
  s.within5 /= n;
  s.vsDefault = std::exp(logVsDefault / n);
  s.vsGb = std::exp(logVsGb / n);
  for (double r : regrets)
    s.meanRegret += r / n;
  std::sort(regrets.begin(), regrets.end());
  const auto rank = static_cast<std::size_t>(std::ceil(0.95 * n));
  s.p95Regret = regrets[std::max<std::size_t>(rank, 1) - 1];
  return s;
}

Result<SplitChoices> chooseOnFolds(const std::vector<Task> &tasks, Split split,
                                   const std::function<void(const std::string &)> &progress) {
  SplitChoices out;
  out.split = split;
  std::set<std::string> groups;
  for (const auto &t : tasks)
    groups.insert(groupOf(t, split));
  if (groups.size() < 2)
    return fail(ErrorCode::InvalidInput, std::string("leaving one ") + splitName(split) +
                                             " out needs at least two, and the data has " +
                                             std::to_string(groups.size()));
  for (const auto &group : groups) {
    std::vector<Task> train;
    std::vector<const Task *> test;
    for (const auto &t : tasks)
      if (groupOf(t, split) == group)
        test.push_back(&t);
      else
        train.push_back(t);
    if (progress)
      progress(std::string("leave ") + splitName(split) + " '" + group + "' out: train on " +
               std::to_string(train.size()) + " tasks, test on " + std::to_string(test.size()));
    for (auto &selector : makeSelectors()) {
      if (auto trained = selector->train(train); !trained)
        return trained.error().withContext("training " + selector->name());
      auto &picked = out.arms[selector->name()];
      const auto start = std::chrono::steady_clock::now();
      for (const Task *t : test)
        picked.push_back(selector->choose(t->features));
      out.selectMs[selector->name()] +=
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      for (std::size_t i = 0; i < test.size(); ++i) {
        const int arm = picked[picked.size() - test.size() + i];
        const auto level = armsOf(test[i]->features.level);
        if (std::find(level.begin(), level.end(), arm) == level.end())
          return fail(ErrorCode::Internal,
                      selector->name() + " chose an arm of another level for task " + test[i]->id);
      }
    }
    out.heldOut.insert(out.heldOut.end(), test.begin(), test.end());
  }
  return out;
}

std::vector<Score> scoreSplits(const std::vector<const SplitChoices *> &splits) {
  std::vector<const Task *> heldOut;
  std::map<std::string, std::vector<int>> arms;
  std::map<std::string, double> selectMs;
  for (const SplitChoices *s : splits) {
    heldOut.insert(heldOut.end(), s->heldOut.begin(), s->heldOut.end());
    for (const auto &[name, picked] : s->arms) {
      arms[name].insert(arms[name].end(), picked.begin(), picked.end());
      selectMs[name] += s->selectMs.at(name);
    }
  }
  std::vector<int> oracle;
  for (const Task *t : heldOut)
    oracle.push_back(t->best());
  const auto &defaults = arms["default"];
  const auto &gb = arms["gb"];
  std::vector<Score> out;
  for (const auto &selector : makeSelectors()) {
    const auto &name = selector->name();
    out.push_back(scoreChoices(name, heldOut, arms[name], defaults, gb));
    out.back().selectMs =
        heldOut.empty() ? 0 : selectMs[name] / static_cast<double>(heldOut.size());
  }
  out.push_back(scoreChoices("oracle", heldOut, oracle, defaults, gb));
  return out;
}

Result<std::vector<Score>> evaluate(const std::vector<Task> &tasks,
                                    const std::vector<Split> &splits,
                                    const std::function<void(const std::string &)> &progress) {
  std::vector<SplitChoices> chosen;
  for (Split split : splits) {
    auto one = chooseOnFolds(tasks, split, progress);
    if (!one)
      return one.error();
    chosen.push_back(std::move(*one));
  }
  std::vector<const SplitChoices *> all;
  for (const auto &c : chosen)
    all.push_back(&c);
  return scoreSplits(all);
}

std::string formatScore(const Score &s) {
  char line[256];
  std::snprintf(line, sizeof line,
                "metainf/%s: top1 %.3f, within5 %.3f, vs-default %.2fx, vs-gb %.2fx, regret %.3f, "
                "p95-regret %.3f, select %.3f ms",
                s.selector.c_str(), s.top1, s.within5, s.vsDefault, s.vsGb, s.meanRegret,
                s.p95Regret, s.selectMs);
  return line;
}

} // namespace nesa::metainf
