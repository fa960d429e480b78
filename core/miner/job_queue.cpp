#include "miner/job_queue.h"

namespace nesa::miner {

JobQueue::JobQueue(QueueLimits limits) : m_limits(limits) {
  for (int i = 0; i < std::max(1, m_limits.workers); ++i)
    m_workers.emplace_back([this] { work(); });
}

JobQueue::~JobQueue() { stop(); }

Result<void> JobQueue::submit(std::uint64_t tip, std::uint64_t fee, std::size_t bytes,
                              std::function<void()> run,
                              std::function<void(const Error &)> refuse) {
  {
    std::lock_guard lock(m_mutex);
    if (m_stopped)
      return fail(ErrorCode::Unavailable, "the miner is shutting down");
    if (m_paused)
      return fail(ErrorCode::Unavailable, "the miner is paused");
    if (bytes > m_limits.maxQueuedBytes) // waiting would not help
      return fail(ErrorCode::Unavailable, "the job is larger than this miner's queue holds (" +
                                              std::to_string(m_limits.maxQueuedBytes) +
                                              " bytes); try another");
    if (m_jobs.size() >= m_limits.maxQueued || m_bytes + bytes > m_limits.maxQueuedBytes)
      return fail(ErrorCode::Busy,
                  "the miner is busy (its queue is full); try again shortly or another");
    m_jobs.emplace(Key{tip, fee, m_sequence++}, Job{bytes, std::move(run), std::move(refuse)});
    m_bytes += bytes;
  }
  m_ready.notify_one();
  return {};
}

void JobQueue::pause() {
  std::lock_guard lock(m_mutex);
  m_paused = true;
}

void JobQueue::resume() {
  std::lock_guard lock(m_mutex);
  m_paused = false;
}

bool JobQueue::paused() const {
  std::lock_guard lock(m_mutex);
  return m_paused;
}

std::size_t JobQueue::queued() const {
  std::lock_guard lock(m_mutex);
  return m_jobs.size();
}

void JobQueue::stop() {
  std::map<Key, Job, Earlier> refused;
  {
    std::lock_guard lock(m_mutex);
    if (m_stopped && m_workers.empty())
      return;
    m_stopped = true;
    refused.swap(m_jobs);
    m_bytes = 0;
  }
  m_ready.notify_all();
  for (auto &[key, job] : refused)
    if (job.refuse)
      job.refuse(fail(ErrorCode::Unavailable, "the miner is shutting down"));
  for (auto &worker : m_workers)
    if (worker.joinable())
      worker.join();
  m_workers.clear();
}

void JobQueue::work() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(m_mutex);
      m_ready.wait(lock, [this] { return m_stopped || !m_jobs.empty(); });
      if (m_jobs.empty())
        return; // stopped
      auto first = m_jobs.begin();
      job = std::move(first->second);
      m_jobs.erase(first);
      m_bytes -= job.bytes;
    }
    job.run();
  }
}

} // namespace nesa::miner
