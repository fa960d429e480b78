// `nesa node status` and `nesa miner start|stop|status`: the network from the command line.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "cli/context.h"
#include "net/endpoint.h"
#include "util/result.h"

namespace nesa::cli {

/// Milliseconds one /status round trip to the miner at `endpoint` ("host:port") takes from
/// here, or -1 when it does not answer within a second; its answer goes to `status` when given.
double measureLatency(const std::string &endpoint, nlohmann::json *status = nullptr);

/// nesa node status [--node HOST:PORT]
int nodeCommand(Context &ctx);
/// nesa miner start [--node HOST:PORT] [--threads N] [--price N] | stop | status
int minerCommand(Context &ctx);

} // namespace nesa::cli
