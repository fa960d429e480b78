// Miner processes for a local devnet: each gets an account key in its folder, gas and the
// registry's minimum stake from the devnet's treasury, is started as `nesa-miner --chain-rpc …`,
// and counts as ready once the MinerRegistry contract lists it. Used by `nesa chain devnet
// --miners N` and by `nesa analyze`'s devnet for one run.
#pragma once

#include "chain/chain_access.h"
#include "chain/devnet.h"
#include "util/child_process.h"

#include <chrono>
#include <filesystem>
#include <vector>

namespace nesa::chain {

/// The file holding a miner's account key in its data folder.
std::filesystem::path minerKeyFile(const std::filesystem::path &minerDir);

/// A miner started on this computer for the running local devnet whose folder is `chainDir`
/// (`nesa miner start`): gives `account` gas and tops its $NES up to the registry's minimum
/// stake from the devnet's treasury; returns the µNES given. Any chain id but the devnet's is
/// an InvalidInput error saying that the owner must fund it.
Result<U256> fundLocalMiner(ChainConnection &chain, const std::filesystem::path &chainDir,
                            const Address &account);

/// How to start local miners.
struct LocalMinerOptions {
  int count = 2;
  int threads = 0;                 ///< compute threads each (0: the cores shared out among them)
  std::filesystem::path parentDir; ///< each miner's folder goes under it ("miner-1", …)
  std::filesystem::path program = executableDir() / "nesa-miner";
  std::vector<std::string> extraArguments; ///< passed on ("--log-level", "warn", …)
  std::chrono::milliseconds readyTimeout{90'000};
};

/// A local miner process.
struct LocalMiner {
  ChildProcess process;
  Address account{};
  std::string endpoint; ///< its share-job server, "host:port"
};

/// Starts `options.count` miners for `devnet` (whose deployment file is in `deploymentFile`)
/// and waits until the registry lists every one of them.
Result<std::vector<LocalMiner>> startLocalMiners(Devnet &devnet,
                                                 const std::filesystem::path &deploymentFile,
                                                 const LocalMinerOptions &options);

} // namespace nesa::chain
