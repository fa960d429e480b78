// Starting, watching and stopping another program (a devnet's miners, an embedded devnet).
#pragma once

#include "util/result.h"

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace nesa {

/// A child process. Destroying the object stops the child (terminate, then kill).
class ChildProcess {
public:
  /// Starts `program` with `arguments`. With `captureStdout`, its standard output is a pipe that
  /// readLine() reads; otherwise it shares ours. Its standard input is /dev/null, its standard
  /// error ours. It is sent SIGTERM when the thread that started it ends (or this program).
  static Result<ChildProcess> start(const std::filesystem::path &program,
                                    const std::vector<std::string> &arguments,
                                    bool captureStdout = false);
  /// Starts a helper that answers requests: standard output captured (readLine), standard input
  /// a socket (writeLine). It outlives the thread that started it; when this program ends, its
  /// input ends (and it is expected to stop).
  static Result<ChildProcess> startHelper(const std::filesystem::path &program,
                                          const std::vector<std::string> &arguments);
  ChildProcess() = default;
  ChildProcess(ChildProcess &&other) noexcept;
  ChildProcess &operator=(ChildProcess &&other) noexcept;
  ChildProcess(const ChildProcess &) = delete;
  ChildProcess &operator=(const ChildProcess &) = delete;
  ~ChildProcess();

  pid_t pid() const { return m_pid; }
  /// True until the child has exited (and been reaped).
  bool running();
  /// The next line of the child's standard output (without the newline), waiting up to
  /// `timeout`; fails with Io when the child closes it, Unavailable when the time is up.
  Result<std::string> readLine(std::chrono::milliseconds timeout);
  /// Writes `line` and a newline to a helper's standard input (startHelper); an Io error, never
  /// a signal, when the child has gone.
  Result<void> writeLine(std::string_view line);
  /// Sends SIGTERM, waits up to `grace`, then SIGKILL; returns the exit status (or −signal).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));
  /// Sends SIGKILL at once and reaps the child.
  void kill();

private:
  static Result<ChildProcess> launch(const std::filesystem::path &program,
                                     const std::vector<std::string> &arguments, bool captureStdout,
                                     bool pipeStdin);
  pid_t m_pid = -1;
  int m_stdout = -1;
  int m_stdin = -1;
  int m_status = 0;
  std::string m_pending; ///< bytes read past the last returned line
};

/// The folder of the running executable (where sibling programs are installed).
std::filesystem::path executableDir();

} // namespace nesa
