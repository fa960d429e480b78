// In-process miners for engine tests: an honest pool, test doubles around a real LocalMiner
// (one records what it receives, one lies, one is mute, one watches shares overlap), and fresh
// EE keys.
#pragma once

#include "privacy/ee_key.h"
#include "privacy/field.h"
#include "privacy/local_miner.h"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace nesa::testing {

/// Records every job before computing it.
class RecordingMiner : public privacy::LocalMiner {
public:
  using privacy::LocalMiner::LocalMiner;
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    {
      std::lock_guard lock(mutex);
      jobs.push_back(job);
    }
    return privacy::LocalMiner::compute(job);
  }
  std::mutex mutex;
  std::vector<privacy::ShareJob> jobs;
};

/// Adds `delta` (f64) or 1 (ring64) to one random element of every answer (of a whole program's
/// answer: of one random call's output).
class DishonestMiner : public privacy::LocalMiner {
public:
  DishonestMiner(std::string id, double delta, std::uint64_t seed)
      : privacy::LocalMiner(std::move(id)), m_delta(delta), m_rng(seed) {}
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    auto reply = privacy::LocalMiner::compute(job);
    if (!reply)
      return reply;
    auto &out = reply->callOutputs.empty()
                    ? reply->output
                    : reply->callOutputs[m_rng() % reply->callOutputs.size()];
    const std::size_t index = m_rng() % static_cast<std::size_t>(out.numel());
    if (out.dtype == model::DType::F64) {
      double v;
      std::memcpy(&v, out.bytes.data() + index * 8, 8);
      v += m_delta;
      std::memcpy(out.bytes.data() + index * 8, &v, 8);
    } else if (out.dtype == model::DType::F32) {
      float v;
      std::memcpy(&v, out.bytes.data() + index * 4, 4);
      v += static_cast<float>(m_delta);
      std::memcpy(out.bytes.data() + index * 4, &v, 4);
    } else {
      std::uint64_t v;
      std::memcpy(&v, out.bytes.data() + index * 8, 8);
      v = privacy::field::add(v, 1); // the smallest possible lie
      std::memcpy(out.bytes.data() + index * 8, &v, 8);
    }
    ++lies;
    return reply;
  }
  int lies = 0;

private:
  double m_delta;
  std::mt19937_64 m_rng;
};

/// Answers correctly, but as a flat list of numbers: the right bytes in the wrong shape.
class FlatteningMiner : public privacy::LocalMiner {
public:
  using privacy::LocalMiner::LocalMiner;
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    auto reply = privacy::LocalMiner::compute(job);
    if (reply)
      reply->output.shape = {reply->output.numel()};
    if (reply)
      for (auto &call : reply->callOutputs)
        call.shape = {call.numel()};
    return reply;
  }
};

/// Never answers.
class MuteMiner : public privacy::LocalMiner {
public:
  using privacy::LocalMiner::LocalMiner;
  Result<privacy::ShareReply> compute(const privacy::ShareJob &) override {
    return fail(ErrorCode::Unavailable, "connection timed out");
  }
};

/// Wraps any miner and notes the call id of every job it is sent (before it computes it).
class CallLog : public privacy::MinerEndpoint {
public:
  explicit CallLog(std::shared_ptr<privacy::MinerEndpoint> inner) : m_inner(std::move(inner)) {}
  const std::string &id() const override { return m_inner->id(); }
  Result<void> installBundle(const model::LinearBundle &bundle,
                             const std::string &bundleId) override {
    return m_inner->installBundle(bundle, bundleId);
  }
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    {
      std::lock_guard lock(mutex);
      calls.push_back(job.call);
    }
    return m_inner->compute(job);
  }
  bool sharesThisMachine() const override { return m_inner->sharesThisMachine(); }
  std::mutex mutex;
  std::vector<privacy::Seed> calls;

private:
  std::shared_ptr<privacy::MinerEndpoint> m_inner;
};

/// A remote-looking miner (its jobs may run in parallel with the client) that notes, for every
/// seeded share, whether the masked share of the same call started while the seeded one was
/// under way: it waits up to `patience` for it before answering.
class OverlapWatcher : public privacy::LocalMiner {
public:
  /// What all the watchers of one pool saw.
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::set<std::vector<std::uint8_t>> maskedStarted; ///< call ids
    int seeded = 0, overlapped = 0;
  };
  OverlapWatcher(std::string id, std::shared_ptr<Shared> shared, std::chrono::milliseconds patience)
      : privacy::LocalMiner(std::move(id)), m_shared(std::move(shared)), m_patience(patience) {}
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    const std::vector<std::uint8_t> call(job.call.begin(), job.call.end());
    std::unique_lock lock(m_shared->mutex);
    if (job.input) {
      m_shared->maskedStarted.insert(call);
      m_shared->changed.notify_all();
    } else {
      ++m_shared->seeded;
      if (m_shared->changed.wait_for(lock, m_patience,
                                     [&] { return m_shared->maskedStarted.count(call) > 0; }))
        ++m_shared->overlapped;
    }
    lock.unlock();
    return privacy::LocalMiner::compute(job);
  }
  bool sharesThisMachine() const override { return false; }

private:
  std::shared_ptr<Shared> m_shared;
  std::chrono::milliseconds m_patience;
};

/// `n` honest in-process miners, "miner-0", "miner-1", ...
inline std::vector<std::shared_ptr<privacy::MinerEndpoint>> honestPool(int n) {
  std::vector<std::shared_ptr<privacy::MinerEndpoint>> pool;
  for (int i = 0; i < n; ++i)
    pool.push_back(std::make_shared<privacy::LocalMiner>("miner-" + std::to_string(i)));
  return pool;
}

/// A fresh EE key, shared.
inline std::shared_ptr<const privacy::EeKey> freshEeKey() {
  auto key = privacy::EeKey::generate();
  return std::make_shared<const privacy::EeKey>(std::move(*key));
}

/// A fixed EE key whose 32 bytes all equal `fill`: for tests whose outcome must not depend on
/// chance (a fresh key makes any "at most k agree" check flaky).
inline std::shared_ptr<const privacy::EeKey> fixedEeKey(std::uint8_t fill) {
  const std::vector<std::uint8_t> bytes(privacy::EeKey::kSize, fill);
  auto key = privacy::EeKey::fromBytes(bytes);
  return std::make_shared<const privacy::EeKey>(std::move(*key));
}

} // namespace nesa::testing
