// nesa-analyze --serve (what `nesa serve` runs): the local API (core/api) on 127.0.0.1 until
// SIGINT or SIGTERM, with the wallet's secrets and the settings' network.
#pragma once

#include "analysis/request.h"
#include "cli/arguments.h"
#include "util/config.h"

namespace nesa::app {

/// Serves until a signal; prints where it listens (a JSON line on stdout with `json`), and
/// returns the exit code.
int serveApi(const cli::Arguments &args, const Config &config, analysis::NetworkChoice network,
             bool json);

} // namespace nesa::app
