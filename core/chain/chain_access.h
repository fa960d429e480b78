// Reaching the Nesa contracts of one network: a chain node's JSON-RPC endpoint, the chain id it
// must have and the deployment file naming the contracts, all checked before anything is used.
#pragma once

#include "chain/contract_artifact.h"
#include "chain/nesa_contracts.h"

#include "util/config.h"

#include <filesystem>
#include <memory>

namespace nesa::chain {

/// Where a network's contracts are.
struct ChainAccess {
  net::Endpoint rpc;                ///< the chain node's JSON-RPC (plain HTTP)
  std::uint64_t chainId = 0;        ///< the chain id the node must report
  std::filesystem::path deployment; ///< the contracts' addresses (deployment.json)
  std::filesystem::path artifactDir = defaultArtifactDir(); ///< the contracts' ABIs
};

/// The contracts of one network, ready to call. RpcClient calls are thread-safe.
class ChainConnection {
public:
  /// Checks that the node runs `access.chainId` and that every contract of the deployment file
  /// has code there (chain::loadDeployment), then attaches to them.
  static Result<std::unique_ptr<ChainConnection>> open(const ChainAccess &access);

  RpcClient &rpc() { return m_rpc; }
  const Deployment &deployment() const { return m_deployment; }
  const NesaContracts &contracts() const { return m_contracts; }
  std::uint64_t chainId() const { return m_deployment.chainId; }
  /// Blocks per eth_getLogs request: public nodes limit the range of one.
  static constexpr std::uint64_t kLogWindow = 5'000;
  /// Logs of `address` matching `topics` (RpcClient::logs) since the deployment, asked for in
  /// windows of `window` blocks.
  Result<std::vector<LogEntry>> events(const Address &address,
                                       const std::vector<std::optional<Hash32>> &topics,
                                       std::uint64_t window = kLogWindow);

private:
  ChainConnection(const net::Endpoint &rpc, Deployment deployment, NesaContracts contracts)
      : m_rpc(rpc), m_deployment(std::move(deployment)), m_contracts(std::move(contracts)) {}
  RpcClient m_rpc;
  Deployment m_deployment;
  NesaContracts m_contracts;
};

/// The file a running local devnet (`nesa chain devnet`) leaves in the data folder: its JSON-RPC
/// endpoint, chain id and deployment file.
std::filesystem::path devnetStateFile(const Config &config);

/// The network the settings name: the joined one (network "join": nodeAddress and
/// deploymentFile), else the local devnet running on this computer (devnetStateFile). NotFound
/// when neither; a damaged setting or state file is an error that names it.
Result<ChainAccess> configuredChain(const Config &config);

} // namespace nesa::chain
