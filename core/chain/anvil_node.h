// A local EVM chain: Foundry's anvil (installed from npm into contracts/node_modules) started on
// a free loopback port, its state optionally kept in a file, stopped with the object.
#pragma once

#include "chain/rpc_client.h"
#include "util/child_process.h"

#include <filesystem>

namespace nesa::chain {

/// The chain id of Nesa's local devnets. Any other chain id is a real network: it never gets
/// the demo account and needs a deployment file.
inline constexpr std::uint64_t kDevnetChainId = 4242;

/// How to start anvil.
struct AnvilOptions {
  std::filesystem::path program; ///< the anvil binary (defaultAnvilProgram())
  std::uint64_t chainId = kDevnetChainId;
  std::filesystem::path stateFile; ///< empty: in memory only; else loaded at start, saved at stop
  std::chrono::milliseconds startTimeout{20'000};
};

/// A running anvil. Stopping sends SIGTERM, which makes anvil write its state file.
class AnvilNode {
public:
  /// Starts anvil with no funded accounts (Nesa funds its own keys with anvil_setBalance) and
  /// waits until its RPC answers with the right chain id.
  static Result<AnvilNode> start(const AnvilOptions &options);

  /// Where its JSON-RPC listens.
  const net::Endpoint &endpoint() const { return m_endpoint; }
  bool running() { return m_process.running(); }
  /// Stops it gracefully (its state file is written); returns the exit status.
  int stop() { return m_process.stop(std::chrono::milliseconds(10'000)); }
  /// SIGKILL, as a crash would (tests): the state since the last save is lost.
  void kill() { m_process.kill(); }
  pid_t pid() const { return m_process.pid(); }

private:
  AnvilNode(ChildProcess process, net::Endpoint endpoint)
      : m_process(std::move(process)), m_endpoint(std::move(endpoint)) {}
  ChildProcess m_process;
  net::Endpoint m_endpoint;
};

/// The anvil binary: $NESA_ANVIL if set, else libexec/nesa/anvil of an installed program, or the
/// one npm installed in the source tree for this build's programs (paths::shippedData).
std::filesystem::path defaultAnvilProgram();

/// Gives `account` `wei` of the chain's native currency, for gas (anvil_setBalance: devnets only).
Result<void> fundWithGas(RpcClient &rpc, const Address &account, const U256 &wei);

/// Moves the devnet's clock forward by `seconds` and mines a block (evm_increaseTime, evm_mine).
Result<void> advanceTime(RpcClient &rpc, std::uint64_t seconds);

} // namespace nesa::chain
