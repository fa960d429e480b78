// The local API's queries, run one at a time by one analyzer on a thread of their own while the
// connections wait on theirs: a bounded queue, a piece of text handed over as soon as it is
// written, and a cancel flag a connection sets when its client goes away.
#pragma once

#include "analysis/analyzer.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace nesa::api {

/// A private folder for one query's files (an upload, a document), removed with everything in
/// it when the last holder lets go.
class WorkFolder {
public:
  /// Makes a fresh folder (mode 0700) under `parent`; `live` counts the folders that exist.
  static Result<std::shared_ptr<WorkFolder>> make(const std::filesystem::path &parent,
                                                  std::shared_ptr<std::atomic<std::uint64_t>> live);
  ~WorkFolder();
  WorkFolder(const WorkFolder &) = delete;
  WorkFolder &operator=(const WorkFolder &) = delete;
  const std::filesystem::path &path() const { return m_path; }

private:
  WorkFolder(std::filesystem::path path, std::shared_ptr<std::atomic<std::uint64_t>> live)
      : m_path(std::move(path)), m_live(std::move(live)) {}
  std::filesystem::path m_path;
  std::shared_ptr<std::atomic<std::uint64_t>> m_live;
};

/// One query between the connection that asked it and the runner.
struct QueryJob {
  analysis::Request request;
  std::shared_ptr<WorkFolder> folder; ///< its files, removed after it
  /// /v1/analyze's output: "npy" (the output array) or "nifti" (a segmentation on the scan's
  /// grid, .nii.gz); "" for none.
  std::string outputFormat;
  std::atomic<bool> cancel{false}; ///< set when the client is gone

  /// Written by the runner, read by the connection.
  struct Progress {
    std::string text; ///< summary pieces not yet taken
    bool finished = false;
    std::optional<Error> error; ///< the query failed
    std::string finalText;      ///< the answer's text (summary, or the lines of a result)
    std::string resultJson;     ///< core/analysis's result line
    std::string outputFile;     ///< the bytes of the output file outputFormat asked for
  };
  /// What happened since the last call: takes the pending text, copies the rest.
  Progress take();

  void addText(const std::string &piece);
  void finish(Progress done);

private:
  std::mutex m_mutex;
  Progress m_progress;
};

/// The runner: a queue of at most `maxQueries` jobs (the running one included).
class QueryRunner {
public:
  /// `hooks`: its `starting` and `finished` are called around each run (the others are the
  /// runner's own).
  QueryRunner(analysis::NetworkChoice network, analysis::Secrets secrets,
              std::function<void(const std::string &)> notice, std::size_t maxQueries,
              const analysis::Events &hooks = {});
  ~QueryRunner();
  QueryRunner(const QueryRunner &) = delete;
  QueryRunner &operator=(const QueryRunner &) = delete;

  /// Queues `job`; Busy when maxQueries are waiting or running, Unavailable once stopped.
  Result<void> submit(std::shared_ptr<QueryJob> job);
  /// Cancels the running query, refuses those waiting and joins the thread.
  void stop();
  std::size_t waiting() const;
  /// Queries skipped or stopped because they were cancelled (their client gone).
  std::uint64_t stoppedRuns() const { return m_stoppedRuns; }

private:
  void work();
  void runOne(QueryJob &job);

  std::function<void(const std::string &)> m_notice;
  /// Told before and after a result is written for the client (analysis::Events::exporting).
  std::function<Result<void>(const analysis::Request &, const std::string &, const std::string &)>
      m_exporting;
  std::size_t m_maxQueries;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::shared_ptr<QueryJob>> m_queue;
  std::shared_ptr<QueryJob> m_running;
  bool m_stopping = false;
  std::atomic<std::uint64_t> m_stoppedRuns{0};
  std::unique_ptr<analysis::Analyzer> m_analyzer;
  std::thread m_thread;
};

} // namespace nesa::api
