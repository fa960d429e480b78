// How busy the processor is with other programs than this one (Linux /proc), for a miner that
// serves only while the computer is otherwise idle.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace nesa {

/// Processor time counters at one moment, in clock ticks summed over every core.
struct CpuSample {
  std::uint64_t busy = 0;  ///< the whole machine's non-idle time
  std::uint64_t total = 0; ///< busy + idle
  std::uint64_t own = 0;   ///< this process's user + system time
};

/// Reads /proc/stat and /proc/self/stat; nothing where they cannot be read.
std::optional<CpuSample> sampleCpu();

/// The machine's busy and total ticks from the "cpu" line of /proc/stat.
std::optional<std::pair<std::uint64_t, std::uint64_t>> parseProcStat(std::string_view text);
/// utime + stime from /proc/<pid>/stat (the command name may hold spaces and parentheses).
std::optional<std::uint64_t> parseProcSelfStat(std::string_view text);

/// The share of the whole machine (0..1) that other processes kept busy between two samples.
double othersBusyShare(const CpuSample &before, const CpuSample &after);

/// Decides from successive samples whether the computer is in use by others: busy above
/// `busyShare`, idle again below `idleShare` (hysteresis, so it does not flap).
class IdleWatch {
public:
  IdleWatch(double busyShare = 0.25, double idleShare = 0.15)
      : m_busyShare(busyShare), m_idleShare(idleShare) {}
  /// Takes a sample; true while others keep the processor busy.
  bool update(const CpuSample &sample);
  bool busy() const { return m_busy; }

private:
  double m_busyShare, m_idleShare;
  std::optional<CpuSample> m_last;
  bool m_busy = false;
};

} // namespace nesa
