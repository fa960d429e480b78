#include "chain/anvil_node.h"
#include "util/paths.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

namespace nesa::chain {

namespace {

/// A loopback port that was free a moment ago (anvil cannot report the one it picks for port 0
/// without printing to a pipe we would have to drain).
Result<std::uint16_t> freeLoopbackPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0)
    return fail(ErrorCode::Io, "cannot open a socket to find a free port");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
  ::close(fd);
  if (!ok)
    return fail(ErrorCode::Io, "cannot find a free loopback port");
  return ntohs(address.sin_port);
}

} // namespace

std::filesystem::path defaultAnvilProgram() {
  if (const char *fromEnv = std::getenv("NESA_ANVIL"); fromEnv && *fromEnv)
    return fromEnv;
  return paths::shippedData("libexec/nesa/anvil", NESA_ANVIL_PATH);
}

Result<AnvilNode> AnvilNode::start(const AnvilOptions &options) {
  if (!std::filesystem::exists(options.program))
    return fail(ErrorCode::NotFound, "the local chain node (anvil) is not installed at " +
                                         options.program.string() +
                                         "; run scripts/install-deps.sh, or set NESA_ANVIL");
  Error last = fail(ErrorCode::Unavailable, "anvil did not start");
  for (int attempt = 0; attempt < 3; ++attempt) { // another program may take the port first
    auto port = freeLoopbackPort();
    if (!port)
      return port.error();
    std::vector<std::string> arguments = {"--host", "127.0.0.1", "--port", std::to_string(*port),
                                          "--chain-id", std::to_string(options.chainId),
                                          "--accounts", "0",
                                          // No CORS: a web page the user visits must not drive
                                          // (or read) the local chain, cheat codes included.
                                          "--no-cors", "--silent"};
    if (!options.stateFile.empty()) {
      arguments.insert(arguments.end(),
                       {"--state", options.stateFile.string(), "--state-interval", "1"});
    }
    auto process = ChildProcess::start(options.program, arguments);
    if (!process)
      return process.error();
    const net::Endpoint endpoint{"127.0.0.1", *port};
    RpcClient rpc(endpoint, std::chrono::milliseconds(1'000));
    const auto deadline = std::chrono::steady_clock::now() + options.startTimeout;
    while (process->running() && std::chrono::steady_clock::now() < deadline) {
      auto id = rpc.chainId();
      if (id && *id == options.chainId)
        return AnvilNode(std::move(*process), endpoint);
      if (id)
        return fail(ErrorCode::Internal, "anvil answered with chain id " + std::to_string(*id));
      last = id.error();
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    if (process->running()) {
      process->kill();
      return fail(ErrorCode::Unavailable, "anvil did not answer within " +
                                              std::to_string(options.startTimeout.count()) +
                                              " ms: " + last.message);
    }
  }
  return last.withContext("Starting anvil");
}

Result<void> fundWithGas(RpcClient &rpc, const Address &account, const U256 &wei) {
  auto r = rpc.call("anvil_setBalance", nlohmann::json::array({toHex(account), wei.toQuantity()}));
  if (!r)
    return r.error();
  return {};
}

Result<void> advanceTime(RpcClient &rpc, std::uint64_t seconds) {
  if (auto r = rpc.call("evm_increaseTime", nlohmann::json::array({seconds})); !r)
    return r.error();
  if (auto r = rpc.call("evm_mine", nlohmann::json::array()); !r)
    return r.error();
  return {};
}

} // namespace nesa::chain
