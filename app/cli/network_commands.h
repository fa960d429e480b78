// `nesa node status` and `nesa miner start|stop|status`: the network from the command line.
#pragma once

#include "cli/context.h"
#include "net/endpoint.h"
#include "util/result.h"

namespace nesa::cli {

/// nesa node status [--node HOST:PORT]
int nodeCommand(Context &ctx);
/// nesa miner start [--node HOST:PORT] [--threads N] [--price N] | stop | status
int minerCommand(Context &ctx);

} // namespace nesa::cli
