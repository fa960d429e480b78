// A whole local network in child processes: `nesa-node --devnet`, which starts its miners. Used
// by `nesa analyze` when no node is configured, by the tests and by the benchmarks.
#pragma once

#include "net/endpoint.h"
#include "util/child_process.h"

#include <chrono>
#include <filesystem>
#include <vector>

namespace nesa::node {

/// How to start a devnet.
struct DevnetOptions {
  int miners = 2;
  int minerThreads = 0;          ///< 0: every core
  std::filesystem::path dataDir; ///< the node's and miners' folders go under it
  std::filesystem::path nodeProgram = executableDir() / "nesa-node";
  std::chrono::milliseconds readyTimeout{90'000};
  std::vector<std::string> extraArguments; ///< passed to nesa-node
};

/// One miner process of a devnet.
struct DevnetMiner {
  pid_t pid = 0;
  std::string endpoint;
};

/// A running devnet; stopping it (or destroying it) stops the node, which stops its miners.
struct DevnetProcess {
  ChildProcess process;
  net::Endpoint node;
  std::vector<DevnetMiner> miners;

  /// Starts `nesa-node --devnet` and waits until it and every miner are ready.
  static Result<DevnetProcess> start(const DevnetOptions &options);
};

} // namespace nesa::node
