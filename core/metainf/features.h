// What MetaInf knows about a query before it runs: the model's linear work for this input, the
// client's hardware, the miners and the network. Computed from cached measurements in
// microseconds; selectors see only these, never a measured latency.
#pragma once

#include <string>
#include <vector>

namespace nesa::metainf {

/// The model's linear work for one input shape, as its client program calls it (measured once
/// per model and input shape by running the program with the calls computed locally).
struct ModelProfile {
  double parameters = 0;       ///< weights of the remote linear ops
  double linearFlops = 0;      ///< 2 × multiply-adds of the remote linear ops on this input
  double linearOps = 0;        ///< remote linear ops executed
  double fusedCalls = 0;       ///< remote calls with fusion: the non-linear boundaries crossed
  double unfusedCalls = 0;     ///< remote calls without fusion: one per op executed
  double fusedCallBytes = 0;   ///< float32 bytes into and out of every fused call
  double unfusedCallBytes = 0; ///< the same without fusion
  double inputElements = 0;    ///< elements of the query's input
};

/// The computer the client runs on.
struct Hardware {
  double clientThreads = 1; ///< threads the client's tensor library uses
  double clientGflops = 0;  ///< a short measured float32 GEMM rate on those threads
  double miners = 0;        ///< miners the client can reach
  double minerGflops = 0;   ///< the miners' float32 GEMM rate (the collector's miners share its
                            ///< machine: the client's rate)
};

/// The network between the client and its miners, as the wire measured it.
struct Network {
  double rttMs = 0;        ///< median round trip of small messages
  double megabitsPerS = 0; ///< bulk rate each way
};

/// Everything a selector may look at, for one query at one privacy level.
struct TaskFeatures {
  std::string level; ///< "ee", "hss" or "hss-ee"
  ModelProfile model;
  Hardware hardware;
  Network network;

  /// The raw values in the order of rawNames() (what the data set's CSV holds).
  std::vector<double> raw() const;
  /// Sets the raw values from `values` (rawNames() order); false when the count is wrong.
  bool setRaw(const std::vector<double> &values);
  /// The numbers selectors learn from: logarithms of the quantities that span orders of
  /// magnitude, the level as a code, and the cost-model terms of the default arm.
  std::vector<double> vector() const;
};

/// Column names of TaskFeatures::raw(), as in the CSV header.
const std::vector<std::string> &rawNames();
/// Names of TaskFeatures::vector()'s entries.
const std::vector<std::string> &vectorNames();

} // namespace nesa::metainf
