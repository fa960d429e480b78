// What the long-running programs (nesa chain devnet, nesa-miner) share: waiting for a stop
// signal, the small JSON file that tells other commands where a running daemon listens, and
// which EVM network a command talks to.
#pragma once

#include "chain/chain_access.h"
#include "net/endpoint.h"
#include "util/config.h"
#include "util/result.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

namespace nesa::cli {

/// Blocks SIGINT and SIGTERM for this thread and every thread started after; call first in main.
void blockStopSignals();
/// Waits until SIGINT or SIGTERM arrives, calling `tick` about every `period` (it may return
/// false to stop waiting). Returns the signal number, or 0 when `tick` ended the wait.
int waitForStopSignal(const std::function<bool()> &tick,
                      std::chrono::milliseconds period = std::chrono::milliseconds(1'000));

/// Writes `fields` as one flat JSON object to `file` (atomically).
Result<void> writeDaemonFile(const std::filesystem::path &file,
                             const std::map<std::string, std::string> &fields);
/// Reads a file written by writeDaemonFile.
Result<std::map<std::string, std::string>> readDaemonFile(const std::filesystem::path &file);

/// The EVM network to talk to: `rpc` (--chain-rpc) with `chainId` and `deployment`, else the
/// settings' network (chain::configuredChain: the joined one, else the running local devnet);
/// NotFound when there is none.
Result<chain::ChainAccess> resolveChain(const Config &config, const std::string &rpc,
                                        const std::string &chainId, const std::string &deployment);

} // namespace nesa::cli
