// `nesa policy ...`: what the organisation's policy lets this user do, and the administrator's
// tools to make a signing key and sign a policy (docs/enterprise.md).
#pragma once

#include "cli/context.h"

namespace nesa::cli {

/// Runs `nesa policy SUBCOMMAND ...`; returns the exit code.
int policyCommand(Context &ctx);

} // namespace nesa::cli
