// A fake NetworkBackend for the UI tests: a node with two miners (one on the ledger, one not
// answering), or an unreachable node when `reachable` is false.
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
      s.error = QStringLiteral("no local node is running");
      return s;
    }
    s.node = QStringLiteral("127.0.0.1:7600");
    s.identity = QStringLiteral("dd0fec71");
    s.available = 2;
    s.registered = 3;
    ui::NetworkMiner staked;
    staked.identity = QStringLiteral("4b2578067ad0611b");
    staked.endpoint = QStringLiteral("127.0.0.1:4001");
    staked.backend = QStringLiteral("cuda");
    staked.pricePerQuery = 10;
    staked.jobsServed = 42;
    staked.onLedger = true;
    staked.staked = 2'500'000;
    staked.reputation = 17;
    staked.latencyMs = 0.4;
    ui::NetworkMiner unlisted;
    unlisted.identity = QStringLiteral("e2c66dc91dcf8b47");
    unlisted.endpoint = QStringLiteral("10.0.0.9:4002");
    unlisted.backend = QStringLiteral("cpu (2 threads)");
    unlisted.pricePerQuery = 5;
    unlisted.pricePerByte = 1;
    s.miners = {staked, unlisted};
    return s;
  }
};

} // namespace nesa::testing
