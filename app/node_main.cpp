// nesa-node: the headless node. Alone it keeps a registry of miners and their bundles; with
// --devnet it also starts local miner processes, so one command gives a whole network.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "gpu/device_probe.h"
#include "node/node_chain.h"
#include "node/node_service.h"
#include "util/child_process.h"
#include "util/config.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/version.h"

#include <csignal>
#include <unistd.h>

#include <iostream>
#include <thread>

namespace {

using namespace nesa;
using namespace std::chrono_literals;

const std::vector<cli::OptionSpec> kOptions = {
    {"devnet", false, "run a complete local network: this node and local miner processes"},
    {"miners", true, "miner processes the devnet starts (default: the devnetMiners setting, 2)",
     "N"},
    {"miner-threads", true, "compute threads per devnet miner (default: minerThreads; 0 = all)",
     "N"},
    {"host", true, "listen on this address (default 127.0.0.1)", "ADDRESS"},
    {"port", true, "listen on this port (default 7600; 0 = any free port)", "PORT"},
    {"join", true, "join the network of the node at HOST:PORT", "HOST:PORT"},
    {"block-ms", true, "make a block every N milliseconds (default 1000)", "N"},
    {"free-miners", false, "the devnet's miners serve jobs without payment (tests, demos)"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"log-level", true, "trace, debug, info, warn, error or off (default: the logLevel setting)",
     "LEVEL"},
    {"data-dir", true, "keep the identity, bundles and miners' folders in DIR", "DIR"},
    {"gpu-info", false, "list this machine's GPUs and exit"},
    {"help", false, "show this help"},
    {"version", false, "print the version"},
};

void printHelp() {
  std::cout
      << "nesa-node " << kVersion
      << " — the Nesa node\n\n"
         "usage: nesa-node [--devnet [--miners N]] [OPTIONS]\n\n"
         "Options:\n"
      << cli::formatOptions(kOptions)
      << "\nThe node keeps the registry of miners and the model bundles they download, and\n"
         "serves /status and /metrics over HTTP on its port. With --devnet it prints\n"
         "\"miner PID HOST:PORT\" for each miner it starts and then \"node ready HOST:PORT ID\".\n"
         "Stop it with Ctrl-C or SIGTERM; a devnet stops its miners too.\n";
}

int usage(const std::string &message) {
  std::cerr << "nesa-node: " << message << "\nRun 'nesa-node --help' for usage.\n";
  return cli::kExitUsage;
}

int failure(const Error &error) {
  std::cerr << "nesa-node: " << error.message << '\n';
  return error.code == ErrorCode::Unavailable ? cli::kExitUnavailable : cli::kExitFailure;
}

// Starts the devnet's miners and waits until each is registered.
Result<std::vector<ChildProcess>> startMiners(const node::NodeService &node, int count, int threads,
                                              const std::filesystem::path &dataDir,
                                              const std::string &logLevel, bool free) {
  std::vector<ChildProcess> miners;
  const auto program = executableDir() / "nesa-miner";
  if (threads == 0) // miners on one machine split its cores instead of all fighting over them
    threads = std::max(1, static_cast<int>(std::thread::hardware_concurrency()) / count);
  for (int i = 1; i <= count; ++i) {
    std::vector<std::string> arguments{
        "--node",      "127.0.0.1:" + std::to_string(node.port()),
        "--data-dir",  (dataDir / ("miner-" + std::to_string(i))).string(),
        "--threads",   std::to_string(threads),
        "--port",      "0",
        "--log-level", logLevel};
    if (free)
      arguments.push_back("--free");
    auto child = ChildProcess::start(program, arguments, /*captureStdout=*/true);
    if (!child)
      return child.error().withContext("starting miner " + std::to_string(i));
    miners.push_back(std::move(*child));
  }
  for (auto &miner : miners) {
    auto line = miner.readLine(90s);
    if (!line || line->rfind("miner ready ", 0) != 0)
      return fail(ErrorCode::Unavailable,
                  "a devnet miner did not start" + (line ? "" : ": " + line.error().message));
    const auto endpoint = line->substr(12, line->find(' ', 12) - 12);
    std::cout << "miner " << miner.pid() << ' ' << endpoint << std::endl;
  }
  if (auto all = node.waitForMiners(static_cast<std::size_t>(count), 60s); !all)
    return all.error().withContext("waiting for the devnet's miners");
  return miners;
}

} // namespace

int main(int argc, char **argv) {
  cli::blockStopSignals();
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return usage(args.error().message);
  if (args->has("help")) {
    printHelp();
    return cli::kExitOk;
  }
  if (args->has("version")) {
    std::cout << "nesa-node " << kVersion << '\n';
    return cli::kExitOk;
  }
  if (!args->positional.empty())
    return usage("unexpected argument '" + args->positional.front() + "'");
  if (args->has("devnet") && args->has("join"))
    return usage("choose either --devnet or --join, not both");
  if (args->has("gpu-info")) {
    std::cout << gpu::describe(gpu::probe());
    return cli::kExitOk;
  }
  auto config = loadConfig(args->value("config", paths::configFile().string()));
  if (!config)
    return failure(config.error());
  const std::string logLevel = args->value("log-level", config->logLevel);
  if (auto level = log::parseLevel(logLevel); !level)
    return usage(level.error().message);
  else
    (void)log::init({*level, {}});
  if (args->has("join"))
    return failure(fail(ErrorCode::Unavailable,
                        "nodes do not peer with each other in this build; point miners and "
                        "clients at one node instead (nesa-miner --node HOST:PORT)"));
  const auto miners = args->integer("miners", config->devnetMiners, 1, 16);
  const auto threads = args->integer("miner-threads", config->minerThreads, 0, 1024);
  const auto port = args->integer("port", 7600, 0, 65535);
  const auto blockMs = args->integer("block-ms", 1000, 50, 600000);
  for (const auto *n : {&miners, &threads, &port, &blockMs})
    if (!*n)
      return usage(n->error().message);

  const std::filesystem::path dataDir =
      args->value("data-dir", config->effectiveDataDir().string());
  // The chain: a devnet's genesis funds the demo account and its miners, whose identities are
  // made here first so the genesis can name them (each miner loads its own on start).
  std::vector<ledger::PublicKey> minerKeys;
  const int minerCount = args->has("devnet") ? static_cast<int>(*miners) : 0;
  for (int i = 1; i <= minerCount; ++i) {
    auto identity =
        net::Identity::loadOrCreate(dataDir / ("miner-" + std::to_string(i)) / "identity.key");
    if (!identity)
      return failure(identity.error());
    minerKeys.push_back(identity->publicKey());
  }
  // The node judges reports of wrong answers: the genesis names its identity as the arbiter.
  auto nodeIdentity = net::Identity::loadOrCreate(dataDir / "node" / "identity.key");
  if (!nodeIdentity)
    return failure(nodeIdentity.error());
  auto genesis = node::devnetGenesis(minerKeys, nodeIdentity->publicKey());
  if (!genesis)
    return failure(genesis.error());
  auto chain = node::openNodeChain(dataDir / "node" / "chain", *genesis,
                                   std::chrono::milliseconds(*blockMs));
  if (!chain)
    return failure(chain.error().withContext("opening the node's chain"));

  node::NodeOptions options;
  options.host = args->value("host", "127.0.0.1");
  options.port = static_cast<std::uint16_t>(*port);
  options.dataDir = dataDir / "node";
  options.ledger = *chain;
  options.arbitrate = true;
  auto service = node::NodeService::start(options);
  if (!service)
    return failure(service.error());
  node::NodeService &node = **service;
  const std::string address = options.host + ":" + std::to_string(node.port());
  const std::string identity = net::toHex(node.identity());

  std::vector<ChildProcess> minerProcesses;
  if (args->has("devnet")) {
    auto started = startMiners(node, minerCount, static_cast<int>(*threads), dataDir, logLevel,
                               args->has("free-miners"));
    if (!started)
      return failure(started.error());
    minerProcesses = std::move(*started);
    // Ready means ready to be paid: every miner's stake and registration are in a block.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (true) {
      auto onChain = (*chain)->miners();
      if (onChain && onChain->size() >= static_cast<std::size_t>(minerCount))
        break;
      if (std::chrono::steady_clock::now() > deadline)
        return failure(fail(ErrorCode::Unavailable,
                            "the devnet's miners did not register on the ledger within a minute"));
      std::this_thread::sleep_for(50ms);
    }
  }
  (void)cli::writeDaemonFile(dataDir / "node.json",
                             {{"address", address},
                              {"identity", identity},
                              {"pid", std::to_string(::getpid())},
                              {"devnet", args->has("devnet") ? "yes" : "no"}});
  std::cout << "node ready " << address << ' ' << identity << std::endl;

  std::vector<bool> reported(minerProcesses.size(), false);
  const int signal = cli::waitForStopSignal([&] {
    for (std::size_t i = 0; i < minerProcesses.size(); ++i)
      if (!reported[i] && !minerProcesses[i].running()) {
        reported[i] = true;
        log::warn("devnet miner " + std::to_string(i + 1) + " has exited");
      }
    return true;
  });
  log::info("nesa-node: stopping (signal " + std::to_string(signal) + ")");
  for (auto &miner : minerProcesses)
    ::kill(miner.pid(), SIGTERM);
  for (auto &miner : minerProcesses)
    miner.stop();
  node.stop();
  std::error_code ec;
  std::filesystem::remove(dataDir / "node.json", ec);
  return cli::kExitOk;
}
