// A fake NetworkBackend for the UI tests: a network with two miners (one answering, one not),
// or an unreachable network when `reachable` is false.
#pragma once

#include "ui/network_backend.h"

#include <atomic>

namespace nesa::testing {

class FakeNetworkBackend : public ui::NetworkBackend {
public:
  std::atomic<bool> reachable{true};
  std::atomic<int> reads{0};

  ui::NodeStatus status() override {
    ++reads;
    ui::NodeStatus s;
    if (!reachable) {
      s.error = QStringLiteral("no local EVM network is running");
      return s;
    }
    s.node = QStringLiteral("http://127.0.0.1:8545");
    s.identity = QStringLiteral("chain 4242, registry 0xe941");
    s.available = 2;
    s.registered = 3;
    ui::NetworkMiner staked;
    staked.identity = QStringLiteral("0x4b2578067ad0611b");
    staked.endpoint = QStringLiteral("127.0.0.1:4001");
    staked.backend = QStringLiteral("cuda");
    staked.pricePerQuery = 10;
    staked.jobsServed = 42;
    staked.staked = 2'500'000;
    staked.reputation = 17;
    staked.latencyMs = 0.4;
    ui::NetworkMiner silent;
    silent.identity = QStringLiteral("0xe2c66dc91dcf8b47");
    silent.endpoint = QStringLiteral("10.0.0.9:4002");
    silent.backend = QStringLiteral("cpu (2 threads)");
    silent.pricePerQuery = 5;
    silent.pricePerMiB = 100;
    silent.staked = 100'000'000;
    s.miners = {staked, silent};
    return s;
  }
};

} // namespace nesa::testing
