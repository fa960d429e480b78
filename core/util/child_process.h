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
  /// readLine() reads; otherwise it shares ours. With `pipeStdin`, its standard input is a
  /// socket writeLine() writes to; otherwise /dev/null. Its standard error is always ours.
  static Result<ChildProcess> start(const std::filesystem::path &program,
                                    const std::vector<std::string> &arguments,
                                    bool captureStdout = false, bool pipeStdin = false);
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
  /// Writes `line` and a newline to the child's standard input (started with `pipeStdin`); an
  /// Io error, never a signal, when the child has gone.
  Result<void> writeLine(std::string_view line);
  /// Sends SIGTERM, waits up to `grace`, then SIGKILL; returns the exit status (or −signal).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5'000));
  /// Sends SIGKILL at once and reaps the child.
  void kill();

private:
  pid_t m_pid = -1;
  int m_stdout = -1;
  int m_stdin = -1;
  int m_status = 0;
  std::string m_pending; ///< bytes read past the last returned line
};

/// The folder of the running executable (where sibling programs are installed).
std::filesystem::path executableDir();

} // namespace nesa
