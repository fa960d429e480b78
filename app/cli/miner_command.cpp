#include "cli/miner_command.h"

#include "chain/key_file.h"
#include "chain/local_miners.h"
#include "cli/arguments.h"
#include "cli/chain_wallet.h"
#include "cli/commands.h"
#include "cli/daemon.h"
#include "net/connection.h"
#include "policy/enforcement.h"
#include "util/child_process.h"
#include "wallet/display_text.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <fcntl.h>
#include <iomanip>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace nesa::cli {

using wallet::formatNes;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

int report(Context &ctx, const Error &error) {
  ctx.err << "nesa: " << error.message << '\n';
  return exitCodeFor(error);
}

Result<nlohmann::json> getStatus(const net::Endpoint &endpoint, const std::string &what) {
  auto got = net::httpGet(endpoint, "/status", 5s, 1 << 20);
  if (!got)
    return fail(ErrorCode::Unavailable, "the " + what + " at " + endpoint.text() +
                                            " does not answer (" + got.error().message + ")");
  auto json = nlohmann::json::parse(got->body, nullptr, false);
  if (got->status != 200 || !json.is_object())
    return fail(ErrorCode::InvalidInput,
                endpoint.text() + " answered, but not like a Nesa " + what);
  return json;
}

fs::path minerDir(const Context &ctx) { return ctx.config.effectiveDataDir() / "miner"; }

bool alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

pid_t runningMinerPid(const Context &ctx) {
  auto file = readDaemonFile(minerDir(ctx) / "miner.json");
  if (!file)
    return 0;
  try {
    const auto pid = static_cast<pid_t>(std::stol((*file)["pid"]));
    return alive(pid) ? pid : 0;
  } catch (const std::exception &) {
    return 0;
  }
}

// Starts `program` in its own session, detached from this terminal, logging to `logFile`.
Result<pid_t> startDetached(const fs::path &program, std::vector<std::string> arguments,
                            const fs::path &logFile) {
  std::vector<std::string> words{program.string()};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char *> argv;
  for (auto &w : words)
    argv.push_back(w.data());
  argv.push_back(nullptr);
  std::error_code ec;
  fs::create_directories(logFile.parent_path(), ec);
  const pid_t pid = ::fork();
  if (pid < 0)
    return fail(ErrorCode::Io, "cannot start " + program.string());
  if (pid == 0) {
    ::setsid();
    const int null = ::open("/dev/null", O_RDONLY);
    const int log = ::open(logFile.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (null >= 0)
      ::dup2(null, STDIN_FILENO);
    if (log >= 0) {
      ::dup2(log, STDOUT_FILENO);
      ::dup2(log, STDERR_FILENO);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

int minerStart(Context &ctx, const Arguments &args) {
  if (auto allowed = policy::Enforcement::installed().allowsMiner(); !allowed)
    return report(ctx, allowed.error());
  if (const pid_t pid = runningMinerPid(ctx))
    return report(ctx, fail(ErrorCode::AlreadyExists, "a miner is already running (pid " +
                                                          std::to_string(pid) +
                                                          "); 'nesa miner stop' stops it"));
  auto access = resolveChain(ctx.config, args.value("chain-rpc"), args.value("chain-id"),
                             args.value("deployment"));
  if (!access)
    return report(ctx, access.error());
  auto chain = chain::ChainConnection::open(*access);
  if (!chain)
    return report(ctx, chain.error());
  // The account is made here so that a miner of the local devnet gets its stake first.
  std::error_code ec;
  fs::create_directories(minerDir(ctx), ec);
  auto key = chain::loadOrCreateKeyFile(chain::minerKeyFile(minerDir(ctx)));
  if (!key)
    return report(ctx, key.error());
  const fs::path devnetDir = ctx.config.effectiveDataDir() / "chain";
  if (fs::equivalent(access->deployment, devnetDir / "deployment.json", ec)) {
    auto given = chain::fundLocalMiner(**chain, devnetDir, key->address());
    if (!given)
      return report(ctx, given.error());
    if (!given->isZero())
      ctx.out << "the local devnet gave the miner's account " << formatNes(given->low64())
              << " to stake, and gas\n";
  }
  std::vector<std::string> forwarded{
      "--data-dir", minerDir(ctx).string(),          "--chain-rpc",  access->rpc.text(),
      "--chain-id", std::to_string(access->chainId), "--deployment", access->deployment.string()};
  for (const char *name : {"threads", "price", "max-jobs", "port", "host", "backend"})
    if (args.has(name)) {
      forwarded.push_back(std::string("--") + name);
      forwarded.push_back(args.value(name));
    }
  if (args.has("only-when-idle"))
    forwarded.push_back("--only-when-idle");
  fs::remove(minerDir(ctx) / "miner.json", ec);
  auto pid = startDetached(executableDir() / "nesa-miner", forwarded, minerDir(ctx) / "miner.log");
  if (!pid)
    return report(ctx, pid.error());
  for (int waited = 0; waited < 600; ++waited) { // a minute
    if (auto file = readDaemonFile(minerDir(ctx) / "miner.json")) {
      ctx.out << "miner started (pid " << *pid << ") at " << (*file)["address"] << ", account "
              << chain::checksumAddress(key->address()) << " on chain " << access->chainId
              << "\nlog: " << (minerDir(ctx) / "miner.log").string() << '\n';
      return kExitOk;
    }
    int status = 0;
    if (::waitpid(*pid, &status, WNOHANG) == *pid)
      return report(ctx, fail(ErrorCode::Unavailable, "the miner stopped at once; see " +
                                                          (minerDir(ctx) / "miner.log").string()));
    std::this_thread::sleep_for(100ms);
  }
  return report(ctx,
                fail(ErrorCode::Unavailable, "the miner did not become ready within a minute"));
}

int minerStop(Context &ctx) {
  const pid_t pid = runningMinerPid(ctx);
  if (!pid)
    return report(ctx, fail(ErrorCode::NotFound, "no miner is running"));
  ::kill(pid, SIGTERM);
  for (int waited = 0; waited < 300 && alive(pid); ++waited)
    std::this_thread::sleep_for(50ms);
  if (alive(pid))
    return report(ctx, fail(ErrorCode::Unavailable, "the miner (pid " + std::to_string(pid) +
                                                        ") did not stop within 15 s"));
  ctx.out << "miner stopped\n";
  return kExitOk;
}

/// The miner's account as the registry has it: stake, unbonding, reputation, registration.
Result<nlohmann::json> registryView(const Context &ctx, const Arguments &args,
                                    const chain::Address &account) {
  auto chain = connectChain(ctx, args);
  if (!chain)
    return chain.error();
  auto &rpc = (*chain)->rpc();
  const auto &registry = (*chain)->contracts().registry;
  const std::vector<chain::abi::Value> who = {chain::abi::Value::address(account)};
  auto staked = registry.call(rpc, "staked", who);
  auto unbonding = registry.call(rpc, "unbonding", who);
  auto reputation = registry.call(rpc, "reputation", who);
  auto registered = registry.call(rpc, "isRegistered", who);
  auto minStake = (*chain)->contracts().parameters.call(rpc, "minStake");
  for (const auto *answer : {&staked, &unbonding, &reputation, &registered, &minStake})
    if (!*answer)
      return answer->error();
  const auto word = [](const Result<std::vector<chain::abi::Value>> &answer) {
    auto value = (*answer)[0].asUint();
    return value && value->fitsU64() ? value->low64() : UINT64_MAX;
  };
  return nlohmann::json{
      {"chain_id", (*chain)->chainId()},
      {"staked", word(staked)},
      {"unbonding", word(unbonding)},
      {"min_stake", word(minStake)},
      // int256, two's complement: its low word is the int64 value
      {"reputation", static_cast<std::int64_t>((*reputation)[0].asUint()->low64())},
      {"registered", word(registered) == 1}};
}

int minerStatus(Context &ctx, const Arguments &args) {
  auto file = readDaemonFile(minerDir(ctx) / "miner.json");
  if (!file || !runningMinerPid(ctx)) {
    if (args.has("json")) // for programs: off is an answer, not only an error
      ctx.out << nlohmann::json{{"running", false}}.dump() << '\n';
    return report(
        ctx, fail(ErrorCode::NotFound, "no miner is running; start one with 'nesa miner start'"));
  }
  auto endpoint = net::parseEndpoint((*file)["address"]);
  if (!endpoint)
    return report(ctx, endpoint.error());
  auto status = getStatus(*endpoint, "miner");
  if (!status)
    return report(ctx, status.error());
  auto &s = *status;
  s["running"] = true;
  s["endpoint"] = endpoint->text();
  s["pid"] = std::stol((*file)["pid"]);
  if (auto account = chain::parseAddress(s.value("chain_account", ""))) {
    auto registry = registryView(ctx, args, *account);
    if (registry)
      s["registry"] = *registry;
    else
      s["registry_error"] = registry.error().message;
  }
  if (args.has("json")) {
    ctx.out << s.dump(2) << '\n';
    return kExitOk;
  }
  ctx.out << "miner " << endpoint->text() << " (pid " << s["pid"] << ")\n  account  "
          << s.value("chain_account", "?")
          << (s.value("on_chain", false) ? " (staked and registered)"
                                         : " (not registered yet: it needs the minimum stake)")
          << "\n  backend  " << s.value("backend", "?") << "\n  state    "
          << (s.value("paused", false) ? "paused" : "serving") << "\n  jobs     "
          << s.value("jobs_served", 0) << " served, " << s.value("jobs_failed", 0) << " failed, "
          << s.value("jobs_refused", 0) << " refused, " << s.value("queued", 0) << " waiting\n"
          << "  earned   " << formatNes(s.value("earned", std::uint64_t{0})) << ", "
          << formatNes(s.value("settled", std::uint64_t{0})) << " of it settled on chain\n";
  if (s.contains("registry")) {
    const auto &r = s["registry"];
    ctx.out << "  stake    " << formatNes(r["staked"]) << " (minimum " << formatNes(r["min_stake"])
            << "), unbonding " << formatNes(r["unbonding"]) << ", reputation " << r["reputation"]
            << (r["registered"].get<bool>() ? ", listed in the registry" : ", not listed") << '\n';
  } else if (s.contains("registry_error")) {
    ctx.out << "  chain    " << s["registry_error"].get<std::string>() << '\n';
  }
  return kExitOk;
}

const std::vector<OptionSpec> kNetworkOptions = {
    {"chain-rpc", true, "miner: the chain node's JSON-RPC (default: the running local devnet)",
     "HOST:PORT"},
    {"chain-id", true, "miner: the chain id that node must have", "N"},
    {"deployment", true, "miner: the network's deployment file", "FILE"},
    {"threads", true, "miner compute threads (0 = every core)", "N"},
    {"price", true, "micro-NES the miner asks per share job", "N"},
    {"max-jobs", true, "jobs the miner computes at the same time", "N"},
    {"port", true, "the miner's port (default: any free one)", "PORT"},
    {"host", true, "the address the miner listens on (default 127.0.0.1)", "ADDRESS"},
    {"json", false, "status: print it as JSON"},
    {"backend", true, "miner start: auto (a GPU when there is one), cpu or cuda", "NAME"},
    {"only-when-idle", false, "miner start: pause while other programs keep the processor busy"},
};

} // namespace

double measureLatency(const std::string &endpoint, nlohmann::json *status) {
  auto parsed = net::parseEndpoint(endpoint);
  if (!parsed)
    return -1;
  const auto start = std::chrono::steady_clock::now();
  auto got = net::httpGet(*parsed, "/status", 1s, 1 << 16);
  if (!got || got->status != 200)
    return -1;
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (status)
    *status = nlohmann::json::parse(got->body, nullptr, false);
  return ms;
}

int minerCommand(Context &ctx) {
  auto args = parseWords("miner", ctx.args, kNetworkOptions);
  if (!args)
    return report(ctx, args.error());
  const std::string verb = args->positional.size() == 1 ? args->positional[0] : "";
  if (verb == "start")
    return minerStart(ctx, *args);
  if (verb == "stop")
    return minerStop(ctx);
  if (verb == "status")
    return minerStatus(ctx, *args);
  ctx.err << "usage: nesa miner start [--threads N] [--backend auto|cpu|cuda] [--only-when-idle] "
             "[--price N] [--max-jobs N] | stop | status [--json]\n"
             "       [--chain-rpc HOST:PORT --chain-id N --deployment FILE] (default: the running "
             "local devnet)\n";
  return kExitUsage;
}

} // namespace nesa::cli
