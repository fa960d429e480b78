#include "cli/chain_command.h"

#include "chain/devnet.h"
#include "chain/local_miners.h"
#include "chain/miner_directory.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "cli/miner_command.h"
#include "wallet/display_text.h"
#include "wallet/ethereum_keys.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <ostream>

namespace nesa::cli {

using wallet::formatNes;
namespace {

namespace fs = std::filesystem;
using V = chain::abi::Value;

constexpr const char *kUsage =
    "usage: nesa chain devnet [--miners N] [--miner-threads N] [--once] [--json]\n"
    "       nesa chain status [--chain-rpc HOST:PORT --chain-id N --deployment FILE] [--json]\n";

const std::vector<OptionSpec> kOptions = {
    {"miners", true, "devnet: also start N miner processes that stake and register (default 0)",
     "N"},
    {"miner-threads", true, "devnet: compute threads of each miner (default: every core)", "N"},
    {"once", false, "devnet: start it, print where it is, and stop it again"},
    {"json", false, "print what it prints as one JSON object"},
    {"chain-rpc", true, "status: the chain node's JSON-RPC (default: the running local devnet)",
     "HOST:PORT"},
    {"chain-id", true, "status: the chain id that node must have", "N"},
    {"deployment", true, "status: the network's deployment file", "FILE"},
};

/// The 0x address of the devnet demo phrase's first Ethereum account.
Result<chain::Address> demoAddress() {
  auto key = wallet::devnetDemoAccountKey();
  if (!key)
    return key.error();
  return key->address();
}

nlohmann::json contractsJson(const chain::Deployment &d) {
  return {{"token", chain::checksumAddress(d.token)},
          {"parameters", chain::checksumAddress(d.parameters)},
          {"registry", chain::checksumAddress(d.registry)},
          {"sessions", chain::checksumAddress(d.sessions)},
          {"disputes", chain::checksumAddress(d.disputes)},
          {"timelock", chain::checksumAddress(d.timelock)},
          {"governor", chain::checksumAddress(d.governor)}};
}

void printContracts(Context &ctx, const nlohmann::json &contracts) {
  ctx.out << "contracts:\n";
  for (const auto &[name, address] : contracts.items())
    ctx.out << "  " << name << std::string(12 - name.size(), ' ') << address.get<std::string>()
            << '\n';
}

int devnet(Context &ctx, const Arguments &args) {
  const auto miners = args.integer("miners", 0, 0, 64);
  const auto threads = args.integer("miner-threads", 0, 0, 1024);
  if (!miners || !threads)
    return failWith(ctx, "chain", miners ? threads.error() : miners.error());
  if (!args.has("once"))
    blockStopSignals(); // before anything starts, so Ctrl-C reaches waitForStopSignal
  auto demo = demoAddress();
  if (!demo)
    return failWith(ctx, "chain", demo.error());
  chain::DevnetOptions options;
  options.dataDir = ctx.config.effectiveDataDir();
  options.demoAccount = *demo;
  auto devnet = chain::Devnet::start(options);
  if (!devnet)
    return failWith(ctx, "chain", devnet.error());
  const fs::path deploymentFile = options.dataDir / "chain" / "deployment.json";
  std::vector<chain::LocalMiner> local;
  if (*miners > 0) {
    chain::LocalMinerOptions minerOptions;
    minerOptions.count = static_cast<int>(*miners);
    minerOptions.threads = static_cast<int>(*threads);
    minerOptions.parentDir = options.dataDir / "chain" / "miners";
    minerOptions.extraArguments = {"--log-level", "warn"};
    auto started = chain::startLocalMiners(*devnet, deploymentFile, minerOptions);
    if (!started) {
      devnet->stop();
      return failWith(ctx, "chain", started.error());
    }
    local = std::move(*started);
  }
  nlohmann::json facts = {
      {"rpc", "http://" + devnet->endpoint().text()},     {"chainId", devnet->deployment().chainId},
      {"demoAccount", chain::checksumAddress(*demo)},     {"deployment", deploymentFile.string()},
      {"contracts", contractsJson(devnet->deployment())}, {"miners", nlohmann::json::array()}};
  for (const auto &miner : local)
    facts["miners"].push_back({{"account", chain::checksumAddress(miner.account)},
                               {"endpoint", miner.endpoint},
                               {"pid", miner.process.pid()}});
  // Other commands find it through this file while it runs: written before anything is printed,
  // since what is printed says it is ready.
  if (!args.has("once"))
    (void)writeDaemonFile(chain::devnetStateFile(ctx.config),
                          {{"rpc", devnet->endpoint().text()},
                           {"chain_id", std::to_string(devnet->deployment().chainId)},
                           {"deployment", deploymentFile.string()},
                           {"pid", std::to_string(::getpid())}});
  if (args.has("json")) {
    ctx.out << facts.dump(2) << '\n';
  } else {
    ctx.out << "EVM devnet at " << facts["rpc"].get<std::string>() << ", chain id "
            << facts["chainId"] << "\ndemo account " << facts["demoAccount"].get<std::string>()
            << " (its phrase is public: devnet only)\n";
    printContracts(ctx, facts["contracts"]);
    for (const auto &miner : facts["miners"])
      ctx.out << "miner " << miner["account"].get<std::string>() << " at "
              << miner["endpoint"].get<std::string>() << " (staked and registered)\n";
    ctx.out << "state kept in " << (options.dataDir / "chain").string() << '\n';
  }
  ctx.out.flush();
  int status = kExitOk;
  if (!args.has("once")) {
    waitForStopSignal([] { return true; });
    std::error_code ec;
    fs::remove(chain::devnetStateFile(ctx.config), ec);
  }
  for (auto &miner : local) // first, so that they settle while the chain still runs
    if (miner.process.stop() != 0)
      status = kExitFailure;
  return devnet->stop() == 0 ? status : kExitFailure;
}

int status(Context &ctx, const Arguments &args) {
  auto access = resolveChain(ctx.config, args.value("chain-rpc"), args.value("chain-id"),
                             args.value("deployment"));
  if (!access)
    return failWith(ctx, "chain", access.error());
  auto chain = chain::ChainConnection::open(*access);
  if (!chain)
    return failWith(ctx, "chain", chain.error());
  chain::RpcClient &rpc = (*chain)->rpc();
  const chain::NesaContracts &c = (*chain)->contracts();
  auto block = rpc.blockNumber();
  auto listed = chain::listMiners(rpc, c);
  auto minStake = c.parameters.call(rpc, "minStake");
  auto feeBps = c.parameters.call(rpc, "protocolFeeBps");
  if (!block || !listed || !minStake || !feeBps)
    return failWith(ctx, "chain",
                    !block      ? block.error()
                    : !listed   ? listed.error()
                    : !minStake ? minStake.error()
                                : feeBps.error());
  nlohmann::json facts = {{"rpc", "http://" + access->rpc.text()},
                          {"chainId", access->chainId},
                          {"block", *block},
                          {"minStake", (*minStake)[0].asUint()->low64()},
                          {"protocolFeeBps", (*feeBps)[0].asUint()->low64()},
                          {"contracts", contractsJson((*chain)->deployment())},
                          {"miners", nlohmann::json::array()}};
  for (const auto &m : *listed) {
    // Its own answer, from here: how far it is, and what it says it has done.
    nlohmann::json probe;
    const double latency = measureLatency(m.listing.endpoint, &probe);
    facts["miners"].push_back(
        {{"account", chain::checksumAddress(m.account)},
         {"endpoint", m.listing.endpoint},
         {"backend", m.listing.backend},
         {"price_per_job", m.listing.pricePerJob},
         {"price_per_mib", m.listing.pricePerMiB},
         {"staked", m.stake.low64()},
         {"reputation", m.reputation},
         {"latency_ms", latency},
         {"jobs_served", probe.is_object() ? probe.value("jobs_served", 0) : 0}});
  }
  if (args.has("json")) {
    ctx.out << facts.dump(2) << '\n';
    return kExitOk;
  }
  ctx.out << "chain " << access->chainId << " at " << facts["rpc"].get<std::string>() << ", block "
          << *block << "\nminimum stake " << formatNes(facts["minStake"].get<std::uint64_t>())
          << ", protocol fee " << facts["protocolFeeBps"].get<std::uint64_t>() << " bps\n";
  printContracts(ctx, facts["contracts"]);
  ctx.out << listed->size() << " miner(s) registered\n";
  for (const auto &m : facts["miners"]) {
    const double latency = m["latency_ms"];
    ctx.out << "  " << m["account"].get<std::string>() << "  " << m["endpoint"].get<std::string>()
            << "  " << m["backend"].get<std::string>() << "  " << m["price_per_job"]
            << " µNES/job  staked " << formatNes(m["staked"]) << "  reputation " << m["reputation"]
            << "  "
            << (latency < 0 ? std::string("no answer")
                            : std::to_string(static_cast<int>(latency + 0.5)) + " ms")
            << '\n';
  }
  return kExitOk;
}

} // namespace

int chainCommand(Context &ctx) {
  auto args = parseWords("chain", ctx.args, kOptions);
  if (!args)
    return failWith(ctx, "chain", args.error());
  const auto &p = args->positional;
  if (p.size() == 1 && p[0] == "devnet")
    return devnet(ctx, *args);
  if (p.size() == 1 && p[0] == "status")
    return status(ctx, *args);
  ctx.err << kUsage << formatOptions(kOptions);
  return kExitUsage;
}

} // namespace nesa::cli
