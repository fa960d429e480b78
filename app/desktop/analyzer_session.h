// nesa-analyze --session kept running for the desktop's queries (docs/engine.md): one analyzer
// for an estimate and the run that follows, so the input is read and the model compiled once,
// while libtorch stays out of the app's own process. Started on first use, and again after it
// ended (a crash loses one query, not the app).
#pragma once

#include "util/child_process.h"
#include "util/result.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nesa::app {

/// One session program, its queries one at a time (thread-safe).
class AnalyzerSession {
public:
  AnalyzerSession(std::filesystem::path program, std::vector<std::string> arguments)
      : m_program(std::move(program)), m_arguments(std::move(arguments)) {}

  /// Sends `op` (one JSON object) and hands each line that comes back to `onLine` until it
  /// returns true (the op's last line). Once `*cancelled` turns true a cancel op is sent; when the
  /// last line has not come 10 s later the program is stopped (Cancelled). With `limit`, a query
  /// still unanswered after it stops the program too (Unavailable). An Io error when the program
  /// could not start or ended meanwhile. The next exchange starts a stopped program again.
  Result<void> exchange(const std::string &op,
                        const std::function<bool(const std::string &)> &onLine,
                        const std::atomic<bool> *cancelled = nullptr,
                        std::optional<std::chrono::milliseconds> limit = std::nullopt);

private:
  std::filesystem::path m_program;
  std::vector<std::string> m_arguments;
  std::mutex m_mutex;
  std::optional<ChildProcess> m_child;
};

} // namespace nesa::app
