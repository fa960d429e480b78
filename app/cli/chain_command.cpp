#include "cli/chain_command.h"

#include "chain/devnet.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "node/node_chain.h"
#include "wallet/ethereum_keys.h"
#include "wallet/mnemonic.h"

#include <nlohmann/json.hpp>

#include <ostream>

namespace nesa::cli {
namespace {

constexpr const char *kUsage = "usage: nesa chain devnet [--once] [--json]\n";

const std::vector<OptionSpec> kOptions = {
    {"once", false, "start it, print where it is, and stop it again"},
    {"json", false, "print what it prints as one JSON object"},
};

/// The 0x address of the devnet demo phrase's first Ethereum account.
Result<chain::Address> demoAddress() {
  auto seed = wallet::seedFromMnemonic(node::kDevnetDemoPhrase);
  if (!seed)
    return seed.error();
  auto key = wallet::ethereumAccountKey(*seed, 0);
  if (!key)
    return key.error();
  return key->address();
}

nlohmann::json describe(const chain::Devnet &devnet, const chain::Address &demo) {
  const chain::Deployment &d = devnet.deployment();
  return {{"rpc", "http://" + devnet.endpoint().text()},
          {"chainId", d.chainId},
          {"demoAccount", chain::checksumAddress(demo)},
          {"contracts",
           {{"token", chain::checksumAddress(d.token)},
            {"parameters", chain::checksumAddress(d.parameters)},
            {"registry", chain::checksumAddress(d.registry)},
            {"sessions", chain::checksumAddress(d.sessions)},
            {"disputes", chain::checksumAddress(d.disputes)},
            {"timelock", chain::checksumAddress(d.timelock)},
            {"governor", chain::checksumAddress(d.governor)}}}};
}

} // namespace

int chainCommand(Context &ctx) {
  auto args = parseWords("chain", ctx.args, kOptions);
  if (!args)
    return failWith(ctx, "chain", args.error());
  if (args->positional.size() != 1 || args->positional[0] != "devnet") {
    ctx.err << kUsage << formatOptions(kOptions);
    return kExitUsage;
  }
  if (!args->has("once"))
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
  const nlohmann::json facts = describe(*devnet, *demo);
  if (args->has("json")) {
    ctx.out << facts.dump(2) << '\n';
  } else {
    ctx.out << "EVM devnet at " << facts["rpc"].get<std::string>() << ", chain id "
            << facts["chainId"] << "\ndemo account " << facts["demoAccount"].get<std::string>()
            << " (its phrase is public: devnet only)\ncontracts:\n";
    for (const auto &[name, address] : facts["contracts"].items())
      ctx.out << "  " << name << std::string(12 - name.size(), ' ') << address.get<std::string>()
              << '\n';
    ctx.out << "state kept in " << (options.dataDir / "chain").string() << '\n';
  }
  ctx.out.flush();
  if (!args->has("once"))
    waitForStopSignal([] { return true; });
  return devnet->stop() == 0 ? kExitOk : kExitFailure;
}

} // namespace nesa::cli
