#include "node/devnet_process.h"

#include <sstream>

namespace nesa::node {

Result<DevnetProcess> DevnetProcess::start(const DevnetOptions &options) {
  std::vector<std::string> arguments{"--devnet",
                                     "--miners",
                                     std::to_string(options.miners),
                                     "--miner-threads",
                                     std::to_string(options.minerThreads),
                                     "--port",
                                     "0",
                                     "--data-dir",
                                     options.dataDir.string()};
  arguments.insert(arguments.end(), options.extraArguments.begin(), options.extraArguments.end());
  auto child = ChildProcess::start(options.nodeProgram, arguments, /*captureStdout=*/true);
  if (!child)
    return child.error();
  DevnetProcess devnet;
  devnet.process = std::move(*child);
  // nesa-node prints "miner PID HOST:PORT" per miner, then "node ready HOST:PORT IDENTITY".
  while (true) {
    auto line = devnet.process.readLine(options.readyTimeout);
    if (!line)
      return line.error().withContext("starting the local network (nesa-node --devnet)");
    std::istringstream words(*line);
    std::string first, second;
    words >> first >> second;
    if (first == "miner") {
      DevnetMiner miner;
      miner.pid = static_cast<pid_t>(std::stol(second));
      words >> miner.endpoint;
      devnet.miners.push_back(miner);
    } else if (first == "node" && second == "ready") {
      std::string address;
      words >> address;
      auto endpoint = net::parseEndpoint(address);
      if (!endpoint)
        return endpoint.error();
      devnet.node = *endpoint;
      return devnet;
    }
  }
}

} // namespace nesa::node
