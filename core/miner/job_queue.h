// The miner's work queue: jobs ordered by what they pay (tip, then fee, then arrival), run by a
// fixed number of workers, bounded in count and in bytes held, with pause/resume and a clean stop.
#pragma once

#include "util/result.h"

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>
#include <vector>

namespace nesa::miner {

/// Bounds of a JobQueue.
struct QueueLimits {
  int workers = 1;                         ///< jobs computed at the same time
  std::size_t maxQueued = 256;             ///< jobs waiting
  std::size_t maxQueuedBytes = 1ull << 30; ///< payload bytes held by waiting jobs
};

/// A priority queue of work with its own worker threads. Thread-safe.
class JobQueue {
public:
  explicit JobQueue(QueueLimits limits);
  /// Stops (see stop()).
  ~JobQueue();
  JobQueue(const JobQueue &) = delete;
  JobQueue &operator=(const JobQueue &) = delete;

  /// Queues `run`; `refuse` is called instead if the queue stops before running it. Fails at once
  /// when the queue is full, paused or stopped.
  Result<void> submit(std::uint64_t tip, std::uint64_t fee, std::size_t bytes,
                      std::function<void()> run, std::function<void(const Error &)> refuse);
  /// Stops taking new jobs; queued and running ones still complete.
  void pause();
  void resume();
  bool paused() const;
  /// Jobs waiting (not running).
  std::size_t queued() const;
  /// Refuses every waiting job, waits for the running ones, and joins the workers; idempotent.
  void stop();

private:
  struct Job {
    std::size_t bytes = 0;
    std::function<void()> run;
    std::function<void(const Error &)> refuse;
  };
  // Highest tip first, then highest fee, then first come.
  using Key = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>;
  struct Earlier {
    bool operator()(const Key &a, const Key &b) const {
      if (std::get<0>(a) != std::get<0>(b))
        return std::get<0>(a) > std::get<0>(b);
      if (std::get<1>(a) != std::get<1>(b))
        return std::get<1>(a) > std::get<1>(b);
      return std::get<2>(a) < std::get<2>(b);
    }
  };

  void work();

  QueueLimits m_limits;
  mutable std::mutex m_mutex;
  std::condition_variable m_ready;
  std::map<Key, Job, Earlier> m_jobs;
  std::size_t m_bytes = 0;
  std::uint64_t m_sequence = 0;
  bool m_paused = false;
  bool m_stopped = false;
  std::vector<std::thread> m_workers;
};

} // namespace nesa::miner
