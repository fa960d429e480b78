// A whole local EVM network for Nesa kept in a data folder: anvil with its state there, the
// contracts deployed once (deployment.json), a devnet treasury holding the supply, and — on the
// devnet chain id only — the demo account funded. Also the check a real network gets instead:
// its deployment file, matched against the chain.
#pragma once

#include "chain/anvil_node.h"
#include "chain/nesa_contracts.h"

#include <filesystem>
#include <memory>

namespace nesa::chain {

/// How to start a devnet.
struct DevnetOptions {
  std::filesystem::path dataDir;      ///< anvil's state, the deployment, the treasury key
  std::optional<Address> demoAccount; ///< funded with `demoAmount` (devnet chain id only)
  U256 demoAmount = U256(1'000'000ULL * 1'000'000ULL); ///< µNES: one million NES
  std::vector<Address> gasAccounts; ///< given gas money (the local miners, the user)
  std::uint64_t chainId = kDevnetChainId;
  std::filesystem::path anvilProgram = defaultAnvilProgram();
  std::filesystem::path artifactDir = defaultArtifactDir();
};

/// A running devnet. Stopping it saves the chain's state; the next start continues from it.
class Devnet {
public:
  static Result<Devnet> start(const DevnetOptions &options);

  const net::Endpoint &endpoint() const { return m_node->endpoint(); }
  const Deployment &deployment() const { return m_deployment; }
  RpcClient &rpc() { return *m_rpc; }
  /// Sends `amount` µNES from the devnet treasury to `to` (the local miners' stake, tests).
  Result<void> fund(const Address &to, const U256 &amount);
  /// Gives `account` gas money.
  Result<void> fundGas(const Address &account);
  /// Stops anvil (its state is written); returns its exit status.
  int stop() { return m_node->stop(); }
  /// SIGKILL, as a crash would (tests).
  void kill() { m_node->kill(); }

private:
  Devnet() = default;
  std::unique_ptr<AnvilNode> m_node;
  std::unique_ptr<RpcClient> m_rpc;
  std::unique_ptr<AccountKey> m_treasury;
  std::unique_ptr<Transactor> m_sender;
  std::optional<NesaContracts> m_contracts;
  Deployment m_deployment;
};

/// The demo account's phrase is public: it may hold $NES only on the devnet chain id. Any other
/// chain id is an InvalidInput error that says so.
Result<void> checkDemoAllowed(std::uint64_t chainId);

/// A real network's deployment: reads `file`, checks that the node at `rpc` has chain id
/// `chainId` and that every contract it names has code. A missing file is a clear error: only
/// a devnet deploys its own contracts.
Result<Deployment> loadDeployment(RpcClient &rpc, const std::filesystem::path &file,
                                  std::uint64_t chainId);

} // namespace nesa::chain
