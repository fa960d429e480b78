#include "chain/chain_access.h"

#include "chain/devnet.h"

#include <algorithm>
#include <iterator>

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

Result<std::vector<LogEntry>>
ChainConnection::events(const Address &address, const std::vector<std::optional<Hash32>> &topics,
                        std::uint64_t window) {
  auto latest = m_rpc.blockNumber();
  if (!latest)
    return latest.error();
  std::vector<LogEntry> all;
  for (std::uint64_t from = m_deployment.deploymentBlock; from <= *latest; from += window) {
    const std::uint64_t to = std::min(*latest, from + window - 1);
    auto found = m_rpc.logs(address, topics, from, to);
    if (!found)
      return found.error();
    all.insert(all.end(), std::make_move_iterator(found->begin()),
               std::make_move_iterator(found->end()));
  }
  return all;
}

} // namespace nesa::chain
