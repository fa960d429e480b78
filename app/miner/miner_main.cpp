// nesa-miner: serves share jobs with this machine's CPU or GPU for an EVM network's clients
// (or, with --free and no network, for anyone: tests and demonstrations).
#include "chain/anvil_node.h"
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "miner/miner_service.h"
#include "net/identity.h"
#include "policy/enforcement.h"
#include "util/config.h"
#include "util/cpu_usage.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/process_tuning.h"
#include "util/version.h"

#include <unistd.h>

#include <iostream>

namespace {

using namespace nesa;

const std::vector<cli::OptionSpec> kOptions = {
    {"chain-rpc", true,
     "work for the EVM network whose chain node's JSON-RPC is at HOST:PORT (stake, "
     "registration and payments on its contracts; default: the settings' network)",
     "HOST:PORT"},
    {"chain-id", true, "the chain id that node must have (default 4242, the local devnet's)", "N"},
    {"deployment", true,
     "the network's deployment file (default: DATA/chain/deployment.json, where 'nesa chain "
     "devnet' writes it)",
     "FILE"},
    {"host", true, "listen on this address (default 127.0.0.1)", "ADDRESS"},
    {"port", true, "listen on this port (default: any free one)", "PORT"},
    {"data-dir", true, "identity and bundle cache (default: DATA/miner)", "DIR"},
    {"threads", true, "compute threads (default: the minerThreads setting; 0 = every core)", "N"},
    {"max-jobs", true, "jobs computed at the same time (default 1)", "N"},
    {"max-queue-mib", true,
     "memory held by waiting jobs, in MiB (default 1024; also the largest message taken)", "N"},
    {"unpaid-message-mib", true,
     "on a network, the largest message from a client that has shown no payment session, in "
     "MiB (default 64)",
     "N"},
    {"bundle-space-mib", true,
     "model bundles kept, in MiB (default 4096; the least recently used are evicted, those of "
     "clients without a session first)",
     "N"},
    {"price", true, "micro-NES asked per share job (default 10)", "N"},
    {"price-per-byte", true, "micro-NES asked per payload byte (default 0)", "N"},
    {"backend", true, "auto (a GPU when there is one), cpu or cuda (default auto)", "NAME"},
    {"gpu", true, "which GPU the cuda backend uses (default 0)", "INDEX"},
    {"free", false, "without a network: serve jobs without payment (tests and demonstrations)"},
    {"client-programs", false,
     "run whole-program jobs (ee in one round trip): a client's program, run here by libtorch's "
     "interpreter after an allow-list check that does not bound its memory; for miners that serve "
     "only trusted clients (off: clients send such queries call by call)"},
    {"settle-every", true,
     "settle the clients' newest receipts on chain every SECONDS (default 5, at most 1800; "
     "fewer transactions with more, and they are settled on stop too)",
     "SECONDS"},
    {"juror-wait", true,
     "as a juror of a missed-deadline dispute, give the accused miner SECONDS to answer the "
     "disputed job before voting guilty (default 30, at most 600)",
     "SECONDS"},
    {"only-when-idle", false,
     "pause while other programs keep a quarter of the processor busy; resume when they stop"},
    {"config", true, "read settings from FILE instead of the default", "FILE"},
    {"log-level", true, "trace, debug, info, warn, error or off (default: the logLevel setting)",
     "LEVEL"},
    {"help", false, "show this help"},
    {"version", false, "print the version"},
};

int usage(const std::string &message) {
  std::cerr << "nesa-miner: " << message << "\nRun 'nesa-miner --help' for usage.\n";
  return cli::kExitUsage;
}

} // namespace

int main(int argc, char **argv) {
  tuneProcess(argv); // devnet miners share cores with the client and each other
  cli::blockStopSignals();
  auto args = cli::parseArguments(argc, argv, 1, kOptions);
  if (!args)
    return usage(args.error().message);
  if (args->has("help")) {
    std::cout << "nesa-miner " << kVersion
              << " — lend this machine to Nesa's network and earn $NES\n\n"
                 "usage: nesa-miner [--chain-rpc HOST:PORT] [OPTIONS]\n\nOptions:\n"
              << cli::formatOptions(kOptions)
              << "\nThe miner listens for share jobs, computes them, and stops cleanly on "
                 "SIGINT/SIGTERM.\nIts account is the key in DIR/chain.key (made on first "
                 "start); it needs the network's minimum stake in $NES and gas there, then "
                 "registers itself ('nesa miner start' gives it both on the local devnet).\n";
    return cli::kExitOk;
  }
  if (args->has("version")) {
    std::cout << "nesa-miner " << kVersion << '\n';
    return cli::kExitOk;
  }
  if (!args->positional.empty())
    return usage("unexpected argument '" + args->positional.front() + "'");
  auto config = loadConfig(args->value("config", paths::configFile().string()));
  if (!config) {
    std::cerr << "nesa-miner: " << config.error().message << '\n';
    return cli::kExitFailure;
  }
  if (auto level = log::parseLevel(args->value("log-level", config->logLevel)); !level)
    return usage(level.error().message);
  else
    (void)log::init({*level, {}});
  miner::MinerOptions options;
  options.host = args->value("host", "127.0.0.1");
  options.dataDir = args->value("data-dir", (config->effectiveDataDir() / "miner").string());
  options.backend = args->value("backend", "auto");
  constexpr long long kMax = 1LL << 50;
  const auto port = args->integer("port", 0, 0, 65535);
  const auto threads = args->integer("threads", config->minerThreads, 0, 1024);
  const auto maxJobs = args->integer("max-jobs", 1, 1, 1024);
  const auto queueMib = args->integer("max-queue-mib", 1024, 1, 1 << 20);
  const auto unpaidMib = args->integer("unpaid-message-mib", 64, 1, 1 << 20);
  const auto bundleMib = args->integer("bundle-space-mib", 4096, 1, 1 << 30);
  const auto price = args->integer("price", 10, 0, kMax);
  const auto perByte = args->integer("price-per-byte", 0, 0, kMax);
  const auto gpuIndex = args->integer("gpu", 0, 0, 64);
  // At most half an hour: the contract's settle window may be as short as an hour.
  const auto settleEvery = args->integer("settle-every", 5, 1, 1'800);
  const auto jurorWait = args->integer("juror-wait", 30, 1, 600);
  for (const auto *n : {&port, &threads, &maxJobs, &queueMib, &unpaidMib, &bundleMib, &price,
                        &perByte, &gpuIndex, &settleEvery, &jurorWait})
    if (!*n)
      return usage(n->error().message);
  options.port = static_cast<std::uint16_t>(*port);
  options.threads = static_cast<int>(*threads);
  options.gpuDevice = static_cast<int>(*gpuIndex);
  options.requirePayment = !args->has("free");
  options.runClientPrograms = args->has("client-programs");
  options.maxConcurrentJobs = static_cast<int>(*maxJobs);
  options.maxQueuedBytes = static_cast<std::size_t>(*queueMib) << 20;
  options.maxUnpaidMessageBytes = static_cast<std::size_t>(*unpaidMib) << 20;
  options.unpaidReceiveBytes = std::max(options.maxUnpaidMessageBytes, std::size_t{256} << 20);
  options.maxBundleBytes = static_cast<std::size_t>(*bundleMib) << 20;
  options.pricePerQuery = static_cast<std::uint64_t>(*price);
  options.pricePerByte = static_cast<std::uint64_t>(*perByte);
  options.settleEvery = std::chrono::seconds(*settleEvery);
  options.jurorWait = std::chrono::seconds(*jurorWait);
  if (args->has("chain-rpc") && args->has("free"))
    return usage("--free is for a miner without a network: on one, every job is paid");
  if (args->has("chain-rpc")) {
    auto rpc = net::parseEndpoint(args->value("chain-rpc"));
    if (!rpc)
      return usage("--chain-rpc: " + rpc.error().message);
    const auto chainId =
        args->integer("chain-id", static_cast<long long>(chain::kDevnetChainId), 1, kMax);
    if (!chainId)
      return usage(chainId.error().message);
    chain::ChainAccess access;
    access.rpc = *rpc;
    access.chainId = static_cast<std::uint64_t>(*chainId);
    access.deployment = args->value(
        "deployment", (config->effectiveDataDir() / "chain" / "deployment.json").string());
    options.chain = access;
  } else if (args->has("free")) {
    // No network: nobody pays, so it serves anyone.
  } else if (auto network = cli::resolveChain(*config, "", "", "")) {
    options.chain = *network; // the joined network, or the running local devnet
  } else if (network.error().code != ErrorCode::NotFound) {
    return usage(network.error().message);
  } else {
    return usage("no network to work for: start one with 'nesa chain devnet', join one in the "
                 "settings, name one with --chain-rpc HOST:PORT --chain-id N --deployment FILE, "
                 "or serve for free with --free");
  }

  // The organisation's miner right governs lending this computer: to a network, or to anyone
  // for free. The local devnet (this computer's own network, its chain on loopback) is not that.
  const bool localDevnet =
      options.chain && options.chain->chainId == chain::kDevnetChainId &&
      (options.chain->rpc.host == "127.0.0.1" || options.chain->rpc.host == "localhost" ||
       options.chain->rpc.host == "::1");
  if (!localDevnet)
    if (auto allowed = policy::Enforcement::installed().allowsMiner(); !allowed) {
      std::cerr << "nesa-miner: " << allowed.error().message << '\n';
      return cli::exitCodeFor(allowed.error());
    }
  auto service = miner::MinerService::start(options);
  if (!service) {
    std::cerr << "nesa-miner: " << service.error().message << '\n';
    return cli::exitCodeFor(service.error());
  }
  const std::string endpoint = options.host + ":" + std::to_string((*service)->port());
  const std::string identity = net::toHex((*service)->identity());
  (void)cli::writeDaemonFile(options.dataDir / "miner.json",
                             {{"address", endpoint},
                              {"identity", identity},
                              {"pid", std::to_string(::getpid())},
                              {"chain_account", (*service)->chainAccount()}});
  std::cout << "miner ready " << endpoint << ' ' << identity << std::endl;
  if (!options.chain)
    log::warn("no network: the miner serves jobs for free, and only clients told its address "
              "find it");
  // Only when idle: every 5 s, how busy other programs kept the processor decides.
  IdleWatch idle;
  int ticks = 0;
  const auto watchIdle = [&]() {
    if (++ticks % 5 != 0)
      return true;
    const auto sample = sampleCpu();
    if (!sample)
      return true;
    const bool wasBusy = idle.busy();
    if (idle.update(*sample) == wasBusy)
      return true;
    if (idle.busy()) {
      (*service)->pause();
      log::info("nesa-miner: paused, this computer is busy with other programs");
    } else {
      (*service)->resume();
      log::info("nesa-miner: this computer is idle again, serving jobs");
    }
    return true;
  };
  const int signal = cli::waitForStopSignal(
      args->has("only-when-idle") ? std::function<bool()>(watchIdle) : std::function<bool()>());
  log::info("nesa-miner: stopping (signal " + std::to_string(signal) + ")");
  (*service)->stop();
  std::error_code ec;
  std::filesystem::remove(options.dataDir / "miner.json", ec);
  return cli::kExitOk;
}
