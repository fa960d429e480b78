#include "util/child_process.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <algorithm>
#include <string_view>

extern char **environ;

namespace nesa {

Result<ChildProcess> ChildProcess::start(const std::filesystem::path &program,
                                         const std::vector<std::string> &arguments,
                                         bool captureStdout) {
  return launch(program, arguments, captureStdout, /*pipeStdin=*/false);
}

Result<ChildProcess> ChildProcess::startHelper(const std::filesystem::path &program,
                                               const std::vector<std::string> &arguments) {
  return launch(program, arguments, /*captureStdout=*/true, /*pipeStdin=*/true);
}

Result<ChildProcess> ChildProcess::launch(const std::filesystem::path &program,
                                          const std::vector<std::string> &arguments,
                                          bool captureStdout, bool pipeStdin) {
  int pipeFds[2] = {-1, -1};
  if (captureStdout && ::pipe2(pipeFds, O_CLOEXEC) != 0)
    return fail(ErrorCode::Io, std::string("cannot create a pipe: ") + std::strerror(errno));
  // A socket rather than a pipe: writing to it after the child died is an error (MSG_NOSIGNAL),
  // not a SIGPIPE that would end this program.
  int inputFds[2] = {-1, -1};
  if (pipeStdin && ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, inputFds) != 0) {
    for (int fd : pipeFds)
      if (fd >= 0)
        ::close(fd);
    return fail(ErrorCode::Io, std::string("cannot create a socket: ") + std::strerror(errno));
  }
  std::vector<std::string> argvStorage{program.string()};
  argvStorage.insert(argvStorage.end(), arguments.begin(), arguments.end());
  std::vector<char *> argv;
  for (auto &a : argvStorage)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  // A wallet passphrase handed to this program is not handed on (docs/wallet.md): the child
  // gets the environment without it, and no stdin (which may be the pipe it came through).
  std::vector<std::string> envStorage;
  for (char **entry = environ; *entry; ++entry) {
    const std::string_view variable(*entry);
    if (!variable.starts_with("NESA_WALLET_PASSPHRASE=") &&
        !variable.starts_with("NESA_PASSPHRASE_FD="))
      envStorage.emplace_back(variable);
  }
  std::vector<char *> envp;
  for (auto &e : envStorage)
    envp.push_back(e.data());
  envp.push_back(nullptr);
  const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid < 0) {
    if (devNull >= 0)
      ::close(devNull);
    for (int fd : {pipeFds[0], pipeFds[1], inputFds[0], inputFds[1]})
      if (fd >= 0)
        ::close(fd);
    return fail(ErrorCode::Io, std::string("cannot start a process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // A child never outlives its parent (devnet miners). The signal comes when the starting
    // *thread* ends, so a helper started from a pool thread relies on its input ending instead.
    if (!pipeStdin)
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // A new program starts with no signal blocked, whatever its parent blocks to wait for them
    // (otherwise a child like anvil never sees the SIGTERM that asks it to save and stop).
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if (captureStdout)
      ::dup2(pipeFds[1], STDOUT_FILENO);
    if (pipeStdin)
      ::dup2(inputFds[1], STDIN_FILENO);
    else if (devNull >= 0)
      ::dup2(devNull, STDIN_FILENO);
    ::execve(argv[0], argv.data(), envp.data());
    const char message[] = "cannot run a sibling program\n";
    (void)!::write(STDERR_FILENO, message, sizeof message - 1);
    ::_exit(127);
  }
  if (devNull >= 0)
    ::close(devNull);
  ChildProcess child;
  child.m_pid = pid;
  if (captureStdout) {
    ::close(pipeFds[1]);
    child.m_stdout = pipeFds[0];
  }
  if (pipeStdin) {
    ::close(inputFds[1]);
    child.m_stdin = inputFds[0];
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess &&other) noexcept { *this = std::move(other); }

ChildProcess &ChildProcess::operator=(ChildProcess &&other) noexcept {
  if (this != &other) {
    if (m_pid > 0)
      stop();
    if (m_stdout >= 0)
      ::close(m_stdout);
    if (m_stdin >= 0)
      ::close(m_stdin);
    m_pid = std::exchange(other.m_pid, -1);
    m_stdout = std::exchange(other.m_stdout, -1);
    m_stdin = std::exchange(other.m_stdin, -1);
    m_status = other.m_status;
    m_pending = std::move(other.m_pending);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (m_stdin >= 0) // its end of input first: a program reading it may stop by itself
    ::close(m_stdin);
  if (m_pid > 0)
    stop();
  if (m_stdout >= 0)
    ::close(m_stdout);
}

bool ChildProcess::running() {
  if (m_pid <= 0)
    return false;
  int status = 0;
  const pid_t done = ::waitpid(m_pid, &status, WNOHANG);
  if (done == m_pid) {
    m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    m_pid = -1;
    return false;
  }
  return true;
}

Result<std::string> ChildProcess::readLine(std::chrono::milliseconds timeout) {
  if (m_stdout < 0)
    return fail(ErrorCode::Internal, "this child's output is not captured");
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (const auto end = m_pending.find('\n'); end != std::string::npos) {
      std::string line = m_pending.substr(0, end);
      m_pending.erase(0, end + 1);
      return line;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return fail(ErrorCode::Unavailable,
                  "no output within " + std::to_string(timeout.count()) + " ms");
    pollfd fd{m_stdout, POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready <= 0)
      continue;
    char buffer[4096];
    const ssize_t n = ::read(m_stdout, buffer, sizeof buffer);
    if (n <= 0)
      return fail(ErrorCode::Io, "the program closed its output (it ended)");
    m_pending.append(buffer, static_cast<std::size_t>(n));
  }
}

Result<void> ChildProcess::writeLine(std::string_view line) {
  if (m_stdin < 0)
    return fail(ErrorCode::Internal, "this child's input is not a socket of ours");
  std::string bytes(line);
  bytes.push_back('\n');
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(m_stdin, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      std::fill(bytes.begin(), bytes.end(), '\0');
      return fail(ErrorCode::Io,
                  std::string("the program stopped reading: ") + std::strerror(errno));
    }
    sent += static_cast<std::size_t>(n);
  }
  std::fill(bytes.begin(), bytes.end(), '\0'); // it may carry a passphrase
  return {};
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (!running())
    return m_status;
  ::kill(m_pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!running())
      return m_status;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill();
  return m_status;
}

void ChildProcess::kill() {
  if (m_pid <= 0)
    return;
  ::kill(m_pid, SIGKILL);
  int status = 0;
  ::waitpid(m_pid, &status, 0);
  m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  m_pid = -1;
}

std::filesystem::path executableDir() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : self.parent_path();
}

} // namespace nesa
