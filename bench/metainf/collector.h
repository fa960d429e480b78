// `nesa metainf collect`: runs generated models at every arm of every level, on each hardware
// setting and over each network regime (loopback and emulated LAN/WAN links to real miner
// services), and appends what it measured to MetaInf's data set.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace nesa::metainf {

/// What to collect.
struct CollectOptions {
  std::filesystem::path out; ///< the CSV appended to
  int firstModel = 0;        ///< generated models [first, first + count)
  int models = 10;
  std::uint64_t seed = 1;            ///< the generator's seed
  std::vector<int> threads = {1, 2}; ///< hardware settings: client threads
  std::vector<std::string> networks = {"loopback", "lan", "wan"};
  std::vector<std::string> levels = {"ee", "hss", "hss-ee"};
  int repeats = 2; ///< measured runs per arm (after one warm-up); the median is kept
};

/// Collects; tasks already in `out` are skipped, so an interrupted collection resumes. Each task
/// is appended when all its arms are measured; a task an arm fails on is logged through
/// `log` and left out. Returns the number of tasks appended.
Result<int> collect(const CollectOptions &options,
                    const std::function<void(const std::string &)> &log);

} // namespace nesa::metainf
