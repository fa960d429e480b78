// nesa-test-dishonest-miner [--chain-rpc HOST:PORT --deployment FILE] --data-dir DIR: a real
// miner process whose compute adds a small error to one element of every answer, for the network
// fault tests (on an EVM network it is paid, so that it can be reported and slashed there;
// without one it serves unpaid jobs). Test-only.
#include "chain/anvil_node.h"
#include "miner/miner_service.h"
#include "privacy/field.h"
#include "privacy/local_miner.h"

#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <string>

namespace {

using namespace nesa;

class LyingCompute : public privacy::LocalMiner {
public:
  using LocalMiner::LocalMiner;
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    auto reply = LocalMiner::compute(job);
    if (!reply || reply->output.bytes.size() < 8)
      return reply;
    std::uint64_t v;
    std::memcpy(&v, reply->output.bytes.data(), 8);
    if (reply->output.dtype == model::DType::F64) {
      double d;
      std::memcpy(&d, &v, 8);
      d += 1e-3;
      std::memcpy(&v, &d, 8);
    } else {
      v = privacy::field::add(v, 1);
    }
    std::memcpy(reply->output.bytes.data(), &v, 8);
    return reply;
  }
};

} // namespace

int main(int argc, char **argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i + 1 < argc; i += 2)
    args[argv[i]] = argv[i + 1];
  const bool onChain = args.count("--chain-rpc") && args.count("--deployment");
  if (argc % 2 != 1 || !args.count("--data-dir")) {
    std::cerr << "usage: nesa-test-dishonest-miner [--chain-rpc HOST:PORT --deployment FILE] "
                 "--data-dir DIR\n";
    return 2;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  miner::MinerOptions options;
  if (onChain) {
    chain::ChainAccess access;
    access.rpc = *net::parseEndpoint(args["--chain-rpc"]);
    access.chainId = chain::kDevnetChainId;
    access.deployment = args["--deployment"];
    options.chain = access;
    options.settleEvery = std::chrono::seconds(1);
  } else {
    options.requirePayment = false; // the tests that use it send unpaid jobs
  }
  options.dataDir = args["--data-dir"];
  options.threads = 1;
  options.compute = std::make_shared<LyingCompute>("liar");
  auto service = miner::MinerService::start(options);
  if (!service) {
    std::cerr << service.error().message << '\n';
    return 1;
  }
  std::cout << "miner ready 127.0.0.1:" << (*service)->port() << ' '
            << net::toHex((*service)->identity()) << std::endl;
  int signal = 0;
  sigwait(&signals, &signal);
  return 0;
}
