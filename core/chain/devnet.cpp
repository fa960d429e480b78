#include "chain/devnet.h"

#include "chain/key_file.h"

namespace nesa::chain {

namespace {

namespace fs = std::filesystem;

const U256 kGasMoney = *U256::parse("1000000000000000000000"); // 1000 ether: gas for a long while

/// True when every contract of `d` has code on the chain behind `rpc`.
Result<bool> deployed(RpcClient &rpc, const Deployment &d) {
  for (const Address *a :
       {&d.token, &d.parameters, &d.registry, &d.sessions, &d.disputes, &d.timelock, &d.governor}) {
    auto code = rpc.code(*a);
    if (!code)
      return code.error();
    if (code->empty())
      return false;
  }
  return true;
}

} // namespace

Result<void> checkDemoAllowed(std::uint64_t chainId) {
  if (chainId != kDevnetChainId)
    return fail(
        ErrorCode::InvalidInput,
        "the demo account's recovery phrase is public, so it exists only on the local devnet "
        "(chain id " +
            std::to_string(kDevnetChainId) + "), not on chain " + std::to_string(chainId));
  return {};
}

Result<Devnet> Devnet::start(const DevnetOptions &options) {
  if (options.demoAccount)
    if (auto allowed = checkDemoAllowed(options.chainId); !allowed)
      return allowed.error();
  const fs::path dir = options.dataDir / "chain";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot create " + dir.string() + ": " + ec.message());

  Devnet devnet;
  AnvilOptions anvil;
  anvil.program = options.anvilProgram;
  anvil.chainId = options.chainId;
  anvil.stateFile = dir / "anvil-state.json";
  auto node = AnvilNode::start(anvil);
  if (!node)
    return node.error();
  devnet.m_node = std::make_unique<AnvilNode>(std::move(*node));
  devnet.m_rpc = std::make_unique<RpcClient>(devnet.m_node->endpoint());
  auto treasury = loadOrCreateKeyFile(dir / "treasury.key");
  if (!treasury)
    return treasury.error();
  devnet.m_treasury = std::make_unique<AccountKey>(std::move(*treasury));
  devnet.m_sender = std::make_unique<Transactor>(*devnet.m_rpc, *devnet.m_treasury, options.chainId,
                                                 dir / "treasury-journal.json");
  if (auto gas = devnet.fundGas(devnet.m_treasury->address()); !gas)
    return gas.error();

  // Deploy once; later starts find the contracts in the saved state.
  const fs::path deploymentFile = dir / "deployment.json";
  auto existing = Deployment::load(deploymentFile);
  bool reuse = false;
  if (existing && existing->chainId == options.chainId) {
    auto present = deployed(*devnet.m_rpc, *existing);
    if (!present)
      return present.error();
    reuse = *present;
  }
  if (reuse) {
    devnet.m_deployment = *existing;
  } else {
    DeployOptions deploy;
    deploy.holder = devnet.m_treasury->address();
    auto fresh = deployNesa(*devnet.m_sender, options.artifactDir, deploy);
    if (!fresh)
      return fresh.error().withContext("Deploying the devnet's contracts");
    devnet.m_deployment = *fresh;
    if (auto saved = devnet.m_deployment.save(deploymentFile); !saved)
      return saved.error();
  }
  auto contracts = NesaContracts::attach(devnet.m_deployment, options.artifactDir);
  if (!contracts)
    return contracts.error();
  devnet.m_contracts.emplace(std::move(*contracts));

  for (const Address &account : options.gasAccounts)
    if (auto gas = devnet.fundGas(account); !gas)
      return gas.error();
  if (options.demoAccount) {
    if (auto gas = devnet.fundGas(*options.demoAccount); !gas)
      return gas.error();
    auto balance = devnet.m_contracts->token.call(*devnet.m_rpc, "balanceOf",
                                                  {abi::Value::address(*options.demoAccount)});
    if (!balance)
      return balance.error();
    if ((*balance)[0].asUint()->isZero()) // funded once, not on every start
      if (auto funded = devnet.fund(*options.demoAccount, options.demoAmount); !funded)
        return funded.error().withContext("Funding the demo account");
  }
  return devnet;
}

Result<void> Devnet::fund(const Address &to, const U256 &amount) {
  auto sent = m_contracts->token.send(*m_sender, "transfer",
                                      {abi::Value::address(to), abi::Value::uint(amount)});
  if (!sent)
    return sent.error();
  return {};
}

Result<void> Devnet::fundGas(const Address &account) {
  return fundWithGas(*m_rpc, account, kGasMoney);
}

Result<Deployment> loadDeployment(RpcClient &rpc, const fs::path &file, std::uint64_t chainId) {
  if (!fs::exists(file))
    return fail(ErrorCode::NotFound, "chain " + std::to_string(chainId) +
                                         " needs its deployment file (the addresses of the Nesa "
                                         "contracts there); " +
                                         file.string() +
                                         " does not exist. Only the local devnet deploys its own.");
  auto deployment = Deployment::load(file);
  if (!deployment)
    return deployment;
  if (deployment->chainId != chainId)
    return fail(ErrorCode::InvalidInput, file.string() + " is for chain " +
                                             std::to_string(deployment->chainId) + ", not " +
                                             std::to_string(chainId));
  auto remote = rpc.chainId();
  if (!remote)
    return remote.error();
  if (*remote != chainId)
    return fail(ErrorCode::InvalidInput, "the node at " + rpc.endpoint().text() + " runs chain " +
                                             std::to_string(*remote) + ", not " +
                                             std::to_string(chainId));
  auto present = deployed(rpc, *deployment);
  if (!present)
    return present.error();
  if (!*present)
    return fail(ErrorCode::NotFound, "a contract named in " + file.string() +
                                         " has no code on chain " + std::to_string(chainId));
  return deployment;
}

} // namespace nesa::chain
