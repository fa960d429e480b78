// `nesa audit ...`: verify, list, prove and export the tamper-evident audit log.
#pragma once

#include "cli/context.h"

namespace nesa::cli {

/// Runs `nesa audit SUBCOMMAND ...`; returns the exit code.
int auditCommand(Context &ctx);

} // namespace nesa::cli
