// A fake MinerBackend for the UI tests: off until started; once on, staked and listed, and each
// status read finds one more job served and 0.0002 NES more earned.
#pragma once

#include "ui/miner_backend.h"

#include <atomic>
#include <mutex>

namespace nesa::testing {

class FakeMinerBackend : public ui::MinerBackend {
public:
  std::atomic<bool> running{false};
  std::atomic<int> starts{0}, stops{0}, lastThreads{-1};
  std::atomic<std::int64_t> served{0};
  std::atomic<bool> hasGpu{false}, paused{false};

  ui::MinerStatus status() override {
    ui::MinerStatus s;
    s.running = running.load();
    if (s.running) {
      s.backend = QStringLiteral("cpu");
      s.registered = s.onChain = true;
      s.served = ++served;
      s.earned = s.served * 200;
      s.paused = paused.load();
      s.ledgerKnown = true;
      s.staked = 1'000'000;
      s.reputation = 3;
    }
    return s;
  }
  QString start(const ui::MinerStartOptions &options) override {
    ++starts;
    lastThreads = options.threads;
    {
      const std::lock_guard lock(m_mutex);
      lastOptions = options;
    }
    running = true;
    return {};
  }
  QStringList gpus() override {
    return hasGpu ? QStringList{QStringLiteral("0: Fake GPU")} : QStringList();
  }
  ui::MinerStartOptions startedWith() {
    const std::lock_guard lock(m_mutex);
    return lastOptions;
  }
  QString stop() override {
    ++stops;
    running = false;
    return {};
  }

private:
  std::mutex m_mutex;
  ui::MinerStartOptions lastOptions;
};

} // namespace nesa::testing
