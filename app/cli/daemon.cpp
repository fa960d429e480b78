#include "cli/daemon.h"

#include "chain/nesa_contracts.h"

#include "util/atomic_file.h"

#include <nlohmann/json.hpp>

#include <csignal>
#include <ctime>
#include <fstream>
#include <pthread.h>

namespace nesa::cli {

namespace {

sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

} // namespace

void blockStopSignals() {
  const sigset_t set = stopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int waitForStopSignal(const std::function<bool()> &tick, std::chrono::milliseconds period) {
  const sigset_t set = stopSignals();
  while (true) {
    timespec timeout{static_cast<time_t>(period.count() / 1000),
                     static_cast<long>((period.count() % 1000) * 1'000'000)};
    const int signal = sigtimedwait(&set, nullptr, &timeout);
    if (signal > 0)
      return signal;
    if (tick && !tick())
      return 0;
  }
}

Result<void> writeDaemonFile(const std::filesystem::path &file,
                             const std::map<std::string, std::string> &fields) {
  nlohmann::json json = nlohmann::json::object();
  for (const auto &[key, value] : fields)
    json[key] = value;
  return writeFileAtomically(file, json.dump(2) + "\n");
}

Result<std::map<std::string, std::string>> readDaemonFile(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in)
    return fail(ErrorCode::NotFound, "nothing is running here (no " + file.string() + ")");
  const auto json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object())
    return fail(ErrorCode::Corrupt, file.string() + " is damaged; delete it");
  std::map<std::string, std::string> fields;
  for (const auto &[key, value] : json.items())
    if (value.is_string())
      fields[key] = value.get<std::string>();
  return fields;
}

Result<chain::ChainAccess> resolveChain(const Config &config, const std::string &rpc,
                                        const std::string &chainId, const std::string &deployment) {
  if (rpc.empty())
    return chain::configuredChain(config);
  if (chainId.empty() || deployment.empty())
    return fail(ErrorCode::InvalidInput,
                "--chain-rpc needs --chain-id and --deployment (a real network's contracts are "
                "named by its deployment file)");
  chain::ChainAccess access;
  auto endpoint = net::parseEndpoint(rpc);
  if (!endpoint)
    return endpoint.error();
  access.rpc = *endpoint;
  try {
    access.chainId = std::stoull(chainId);
  } catch (const std::exception &) {
    return fail(ErrorCode::InvalidInput, "--chain-id takes a number");
  }
  access.deployment = deployment;
  return access;
}

} // namespace nesa::cli
