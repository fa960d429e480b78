// `nesa miner start|stop|status`: this computer's miner from the command line, on the local
// devnet or the EVM network of the settings.
#pragma once

#include "cli/context.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace nesa::cli {

/// Milliseconds one /status round trip to the miner at `endpoint` ("host:port") takes from
/// here, or -1 when it does not answer within a second; its answer goes to `status` when given.
double measureLatency(const std::string &endpoint, nlohmann::json *status = nullptr);

/// nesa miner start [--threads N] [--price N] … | stop | status [--json]
int minerCommand(Context &ctx);

} // namespace nesa::cli
