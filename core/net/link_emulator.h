// An emulated network link for benchmarks and tests: a TCP relay on loopback that holds every
// chunk for the link's one-way delay and paces each direction to its rate. This kernel has no
// `netem`, so the delay is ours. The relay checks itself (measureLink) against its settings.
#pragma once

#include "net/endpoint.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace nesa::net {

/// What a link does to traffic: a round-trip time (half of it each way) and a rate each
/// direction is paced to.
struct LinkProfile {
  std::string name;                 ///< "lan", "wan", or "custom"
  std::chrono::microseconds rtt{0}; ///< round-trip time
  double bitsPerSecond = 0;         ///< each direction's rate (0: unlimited)

  /// A local network: 1 ms round trip, 1 Gbit/s.
  static LinkProfile lan();
  /// A wide-area link: 30 ms round trip, 100 Mbit/s.
  static LinkProfile wan();
  /// "lan" or "wan"; InvalidInput, listing them, otherwise.
  static Result<LinkProfile> named(const std::string &name);
  /// "30 ms RTT, 100 Mbit/s"
  std::string describe() const;
};

/// A relay listening on 127.0.0.1 (a free port) that forwards every connection to `target`
/// through the link. Each direction is independent: a chunk read at time t leaves the link at
/// max(t, when the previous one was sent) + its bytes at the rate, then arrives one-way delay
/// later; what has not arrived yet is bounded (2 × the bandwidth-delay product, at least
/// 4 MiB), so a slow reader slows the sender as TCP would. Stopping closes every connection.
class LinkEmulator {
public:
  /// Starts the relay (its own thread).
  static Result<std::unique_ptr<LinkEmulator>> start(const Endpoint &target,
                                                     const LinkProfile &profile);
  ~LinkEmulator();
  LinkEmulator(const LinkEmulator &) = delete;
  LinkEmulator &operator=(const LinkEmulator &) = delete;

  /// Where clients connect instead of the target: "127.0.0.1:PORT".
  Endpoint endpoint() const;
  const LinkProfile &profile() const;

  /// What went through, both directions together.
  struct Counters {
    std::uint64_t connections = 0;
    std::uint64_t bytesToTarget = 0;
    std::uint64_t bytesFromTarget = 0;
  };
  Counters counters() const;

  struct State;

private:
  explicit LinkEmulator(std::shared_ptr<State> state) : m(std::move(state)) {}
  std::shared_ptr<State> m;
};

/// A link as measured through an emulator: what a client sees.
struct LinkMeasurement {
  double rttMs = 0;             ///< the median of small round trips
  double megabitsPerSecond = 0; ///< a bulk transfer's rate, its round trip taken out
};

/// Measures `profile` through a LinkEmulator in front of an echo server of its own (the
/// emulator's self-check): 20 one-byte round trips, then a transfer of about a quarter second
/// at the rate (at least 4 MiB).
Result<LinkMeasurement> measureLink(const LinkProfile &profile);

} // namespace nesa::net
