// In-process miners for engine tests: an honest pool, test doubles around a real LocalMiner
// (one records what it receives, one lies, one is mute), and fresh EE keys.
#pragma once

#include "privacy/ee_key.h"
#include "privacy/field.h"
#include "privacy/local_miner.h"

#include <cstring>
#include <memory>
#include <mutex>
#include <random>
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

/// Adds `delta` (f64) or 1 (ring64) to one random element of every answer.
class DishonestMiner : public privacy::LocalMiner {
public:
  DishonestMiner(std::string id, double delta, std::uint64_t seed)
      : privacy::LocalMiner(std::move(id)), m_delta(delta), m_rng(seed) {}
  Result<privacy::ShareReply> compute(const privacy::ShareJob &job) override {
    auto reply = privacy::LocalMiner::compute(job);
    if (!reply)
      return reply;
    auto &out = reply->output;
    const std::size_t index = m_rng() % static_cast<std::size_t>(out.numel());
    if (out.dtype == model::DType::F64) {
      double v;
      std::memcpy(&v, out.bytes.data() + index * 8, 8);
      v += m_delta;
      std::memcpy(out.bytes.data() + index * 8, &v, 8);
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

} // namespace nesa::testing
