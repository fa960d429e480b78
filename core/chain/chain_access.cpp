#include "chain/chain_access.h"

#include "chain/devnet.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
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

std::filesystem::path devnetStateFile(const Config &config) {
  return config.effectiveDataDir() / "chain" / "devnet.json";
}

Result<ChainAccess> configuredChain(const Config &config) {
  ChainAccess access;
  if (config.network == "join") {
    auto endpoint = net::parseEndpoint(config.nodeAddress);
    if (!endpoint)
      return endpoint.error().withContext("setting 'nodeAddress'");
    auto joined = Deployment::load(config.deploymentFile);
    if (!joined)
      return joined.error().withContext("setting 'deploymentFile'");
    access.rpc = *endpoint;
    access.chainId = joined->chainId; // the node must report it (ChainConnection::open)
    access.deployment = config.deploymentFile;
    return access;
  }
  const auto file = devnetStateFile(config);
  std::ifstream in(file);
  if (!in)
    return fail(ErrorCode::NotFound,
                "no local EVM network is running; start one with 'nesa chain devnet', or name one "
                "with --chain-rpc HOST:PORT --chain-id N --deployment FILE");
  const auto state = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  const auto text = [&](const char *key) {
    return state.is_object() && state.contains(key) && state[key].is_string()
               ? state[key].get<std::string>()
               : std::string();
  };
  auto endpoint = net::parseEndpoint(text("rpc"));
  const std::string chainId = text("chain_id");
  if (!endpoint || chainId.empty() ||
      chainId.find_first_not_of("0123456789") != std::string::npos || chainId.size() > 18 ||
      text("deployment").empty())
    return fail(ErrorCode::Corrupt, file.string() + " is damaged; delete it");
  access.rpc = *endpoint;
  access.chainId = std::stoull(chainId);
  access.deployment = text("deployment");
  return access;
}

} // namespace nesa::chain
