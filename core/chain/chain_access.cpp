#include "chain/chain_access.h"

#include "chain/devnet.h"

namespace nesa::chain {

Result<std::unique_ptr<ChainConnection>> ChainConnection::open(const ChainAccess &access) {
  RpcClient probe(access.rpc);
  auto deployment = loadDeployment(probe, access.deployment, access.chainId);
  if (!deployment)
    return deployment.error();
  auto contracts = NesaContracts::attach(*deployment, access.artifactDir);
  if (!contracts)
    return contracts.error();
  return std::unique_ptr<ChainConnection>(
      new ChainConnection(access.rpc, std::move(*deployment), std::move(*contracts)));
}

} // namespace nesa::chain
