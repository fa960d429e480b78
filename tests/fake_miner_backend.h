// A fake MinerBackend for the UI tests: off until started; once on, staked and listed, and each
// status read finds one more job served and 0.0002 NES more earned.
#pragma once

#include "ui/miner_backend.h"

#include <atomic>

namespace nesa::testing {

class FakeMinerBackend : public ui::MinerBackend {
public:
  std::atomic<bool> running{false};
  std::atomic<int> starts{0}, stops{0}, lastThreads{-1};
  std::atomic<std::int64_t> served{0};

  ui::MinerStatus status() override {
    ui::MinerStatus s;
    s.running = running.load();
    if (s.running) {
      s.backend = QStringLiteral("cpu");
      s.registered = s.onChain = true;
      s.served = ++served;
      s.earned = s.served * 200;
    }
    return s;
  }
  QString start(int threads) override {
    ++starts;
    lastThreads = threads;
    running = true;
    return {};
  }
  QString stop() override {
    ++stops;
    running = false;
    return {};
  }
};

} // namespace nesa::testing
