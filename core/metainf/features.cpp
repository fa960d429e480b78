#include "metainf/features.h"

#include <cmath>

namespace nesa::metainf {
namespace {

double levelCode(const std::string &level) {
  if (level == "ee")
    return 0;
  if (level == "hss")
    return 1;
  return 2;
}

/// log(1 + x) of a quantity that cannot be negative.
double logOnePlus(double x) { return std::log1p(std::max(0.0, x)); }

} // namespace

std::vector<double> TaskFeatures::raw() const {
  return {model.parameters,       model.linearFlops,   model.linearOps,
          model.fusedCalls,       model.unfusedCalls,  model.fusedCallBytes,
          model.unfusedCallBytes, model.inputElements, hardware.clientThreads,
          hardware.clientGflops,  hardware.miners,     hardware.minerGflops,
          network.rttMs,          network.megabitsPerS};
}

bool TaskFeatures::setRaw(const std::vector<double> &v) {
  if (v.size() != rawNames().size())
    return false;
  model = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
  hardware = {v[8], v[9], v[10], v[11]};
  network = {v[12], v[13]};
  return true;
}

std::vector<double> TaskFeatures::vector() const {
  const double rateBytesPerMs = std::max(network.megabitsPerS, 1e-3) * 1e6 / 8 / 1000;
  return {levelCode(level), logOnePlus(model.parameters), logOnePlus(model.linearFlops),
          model.linearOps, model.fusedCalls, model.unfusedCalls, logOnePlus(model.fusedCallBytes),
          logOnePlus(model.unfusedCallBytes), logOnePlus(model.inputElements),
          hardware.clientThreads, logOnePlus(hardware.clientGflops), hardware.miners,
          logOnePlus(hardware.minerGflops), logOnePlus(network.rttMs),
          logOnePlus(network.megabitsPerS),
          // the default arm's cost terms: waiting on round trips, moving bytes, computing
          logOnePlus(model.fusedCalls * network.rttMs),
          logOnePlus(model.fusedCallBytes / rateBytesPerMs),
          logOnePlus(model.linearFlops / std::max(hardware.clientGflops, 1e-3) / 1e6)};
}

const std::vector<std::string> &rawNames() {
  static const std::vector<std::string> names = {
      "parameters",       "linear_flops",       "linear_ops",     "fused_calls",    "unfused_calls",
      "fused_call_bytes", "unfused_call_bytes", "input_elements", "client_threads", "client_gflops",
      "miners",           "miner_gflops",       "rtt_ms",         "megabits_per_s"};
  return names;
}

const std::vector<std::string> &vectorNames() {
  static const std::vector<std::string> names = {"level",
                                                 "log_parameters",
                                                 "log_flops",
                                                 "linear_ops",
                                                 "fused_calls",
                                                 "unfused_calls",
                                                 "log_fused_bytes",
                                                 "log_unfused_bytes",
                                                 "log_input",
                                                 "client_threads",
                                                 "log_client_gflops",
                                                 "miners",
                                                 "log_miner_gflops",
                                                 "log_rtt_ms",
                                                 "log_mbps",
                                                 "log_wait_ms",
                                                 "log_transfer_ms",
                                                 "log_compute_ms"};
  return names;
}

} // namespace nesa::metainf
