#include "analyzer_session.h"

#include <chrono>

namespace nesa::app {
namespace {

using namespace std::chrono_literals;

constexpr auto kPoll = 100ms;      // how often a cancel is looked for
constexpr auto kCancelGrace = 10s; // how long a cancelled query may take to stop
constexpr auto kCancelOp = R"({"op":"cancel"})";

} // namespace

Result<void> AnalyzerSession::exchange(const std::string &op,
                                       const std::function<bool(const std::string &)> &onLine,
                                       const std::atomic<bool> *cancelled,
                                       std::optional<std::chrono::milliseconds> limit) {
  std::lock_guard lock(m_mutex);
  if (!m_child || !m_child->running()) {
    auto started = ChildProcess::startHelper(m_program, m_arguments);
    if (!started)
      return started.error().withContext("starting " + m_program.filename().string());
    m_child.emplace(std::move(*started));
  }
  if (auto sent = m_child->writeLine(op); !sent) {
    m_child.reset();
    return sent.error();
  }
  const auto begun = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> cancelSent;
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    if (cancelled && cancelled->load() && !cancelSent) { // looked at between any two lines
      cancelSent = now;
      if (!m_child->writeLine(kCancelOp)) {
        m_child.reset();
        return fail(ErrorCode::Cancelled, "cancelled");
      }
    }
    if (cancelSent && now - *cancelSent > kCancelGrace) {
      m_child.reset(); // it did not stop in time: stopped (the next query starts it again)
      return fail(ErrorCode::Cancelled, "cancelled");
    }
    if (limit && now - begun > *limit) {
      m_child.reset();
      return fail(ErrorCode::Unavailable,
                  "no answer within " + std::to_string(limit->count() / 1000) + " s");
    }
    auto line = m_child->readLine(kPoll);
    if (line) {
      if (onLine(*line))
        return {};
      continue;
    }
    if (line.error().code != ErrorCode::Unavailable) { // it ended
      m_child.reset();
      return fail(ErrorCode::Io, m_program.filename().string() + " ended during the query");
    }
  }
}

} // namespace nesa::app
