// nesa-node: what is left of the node now that the network's settlement, registry, disputes and
// governance live in contracts on an EVM chain. `nesa-node --devnet` runs the local EVM devnet
// exactly as `nesa chain devnet` does (anvil, the contracts, local miners); nobody has to trust
// it, and there is no other mode.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "util/config.h"
#include "util/paths.h"
#include "util/version.h"

#include <iostream>
#include <string>
#include <vector>

namespace {

using namespace nesa;

const std::vector<cli::OptionSpec> kOptions = {
    {"devnet", false, "run the local EVM devnet: anvil, the Nesa contracts and local miners"},
    {"miners", true, "miner processes it starts (default: the devnetMiners setting, 2)", "N"},
    {"miner-threads", true, "compute threads per miner (default: the cores shared among them)",
     "N"},
    {"json", false, "print where it runs as one JSON object"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"data-dir", true, "keep the chain's state and the miners' folders in DIR", "DIR"},
    {"log-level", true, "trace, debug, info, warn, error or off", "LEVEL"},
    {"help", false, "show this help"},
    {"version", false, "print the version"},
};

int usage(const std::string &message) {
  std::cerr << "nesa-node: " << message << "\nRun 'nesa-node --help' for usage.\n";
  return cli::kExitUsage;
}

} // namespace

int main(int argc, char **argv) {
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return usage(args.error().message);
  if (args->has("help")) {
    std::cout << "nesa-node " << kVersion
              << " — the local Nesa network\n\nusage: nesa-node --devnet [--miners N] "
                 "[OPTIONS]\n\nOptions:\n"
              << cli::formatOptions(kOptions)
              << "\nThe same as 'nesa chain devnet --miners N' (docs/chain.md). A real network "
                 "needs no node of ours: join it in the settings (its chain node and deployment "
                 "file). Stop it with Ctrl-C or SIGTERM; its miners settle and stop first.\n";
    return cli::kExitOk;
  }
  if (args->has("version")) {
    std::cout << "nesa-node " << kVersion << '\n';
    return cli::kExitOk;
  }
  if (!args->has("devnet") || !args->positional.empty())
    return usage("nesa-node only runs the local devnet (--devnet): settlement, the miner "
                 "registry, disputes and governance are contracts on an EVM chain, so joining a "
                 "network needs no node of ours ('nesa config set network join')");
  auto config = loadConfig(args->value("config", paths::configFile().string()));
  if (!config)
    return usage(config.error().message);
  std::vector<std::string> words = {"nesa"};
  for (const char *global : {"config", "data-dir", "log-level"})
    if (args->has(global))
      words.insert(words.end(), {std::string("--") + global, args->value(global)});
  words.insert(words.end(), {"chain", "devnet", "--miners",
                             args->value("miners", std::to_string(config->devnetMiners))});
  if (args->has("miner-threads"))
    words.insert(words.end(), {"--miner-threads", args->value("miner-threads")});
  if (args->has("json"))
    words.push_back("--json");
  std::vector<const char *> argvOut;
  for (const auto &word : words)
    argvOut.push_back(word.c_str());
  return cli::runNesa(static_cast<int>(argvOut.size()), argvOut.data(), std::cout, std::cerr);
}
