#include "util/cpu_usage.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace nesa {
namespace {

std::optional<std::string> readFile(const char *path) {
  std::ifstream in(path);
  if (!in)
    return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

std::optional<std::pair<std::uint64_t, std::uint64_t>> parseProcStat(std::string_view text) {
  // "cpu  user nice system idle iowait irq softirq steal ..." (the first line: every core)
  if (text.substr(0, 4) != "cpu ")
    return std::nullopt;
  std::istringstream line{std::string(text.substr(4, text.find('\n') - 4))};
  std::vector<std::uint64_t> fields;
  for (std::uint64_t value = 0; line >> value;)
    fields.push_back(value);
  if (fields.size() < 4)
    return std::nullopt;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < fields.size() && i < 8; ++i) // guest time is inside user already
    total += fields[i];
  const std::uint64_t idle = fields[3] + (fields.size() > 4 ? fields[4] : 0);
  return std::make_pair(total - idle, total);
}

std::optional<std::uint64_t> parseProcSelfStat(std::string_view text) {
  // "pid (comm) state ppid ..." — fields after the last ')': utime is the 12th, stime the 13th.
  const auto close = text.rfind(')');
  if (close == std::string_view::npos)
    return std::nullopt;
  std::istringstream rest{std::string(text.substr(close + 1))};
  std::string field;
  std::uint64_t utime = 0, stime = 0;
  for (int i = 1; i <= 13 && rest >> field; ++i) {
    if (i == 12 || i == 13) {
      try {
        (i == 12 ? utime : stime) = std::stoull(field);
      } catch (const std::exception &) {
        return std::nullopt;
      }
      if (i == 13)
        return utime + stime;
    }
  }
  return std::nullopt;
}

std::optional<CpuSample> sampleCpu() {
  const auto machine = readFile("/proc/stat");
  const auto self = readFile("/proc/self/stat");
  if (!machine || !self)
    return std::nullopt;
  const auto counters = parseProcStat(*machine);
  const auto own = parseProcSelfStat(*self);
  if (!counters || !own)
    return std::nullopt;
  return CpuSample{counters->first, counters->second, *own};
}

double othersBusyShare(const CpuSample &before, const CpuSample &after) {
  if (after.total <= before.total)
    return 0;
  const double busy = static_cast<double>(after.busy - before.busy);
  const double own = static_cast<double>(after.own - before.own);
  const double share = (busy - own) / static_cast<double>(after.total - before.total);
  return share < 0 ? 0 : share > 1 ? 1 : share;
}

bool IdleWatch::update(const CpuSample &sample) {
  if (m_last && sample.total > m_last->total) {
    const double share = othersBusyShare(*m_last, sample);
    if (!m_busy && share > m_busyShare)
      m_busy = true;
    else if (m_busy && share < m_idleShare)
      m_busy = false;
  }
  m_last = sample;
  return m_busy;
}

} // namespace nesa
