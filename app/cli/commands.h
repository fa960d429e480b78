// The `nesa` command-line client: global options, subcommands and their help.
#pragma once

#include <iosfwd>
#include <string>

namespace nesa {
struct Error;
}

namespace nesa::cli {

/// Process exit codes shared by every program (nesa, nesa-node, nesa-miner, nesa-analyze,
/// nesa-model).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,     ///< the command ran and failed (the message says why)
  kExitUsage = 2,       ///< the command line, or the data it named, was wrong
  kExitUnavailable = 3, ///< not available here (a device, a network) or busy now: try later
  kExitForbidden = 4,   ///< the organisation's policy does not allow it (docs/enterprise.md)
};

/// The one mapping from an error to an exit code: InvalidInput → kExitUsage; Unavailable and
/// Busy → kExitUnavailable; Forbidden → kExitForbidden; anything else → kExitFailure.
int exitCodeFor(const Error &error);

struct Context;

/// Prints "nesa COMMAND: message" and returns exitCodeFor(error).
int failWith(Context &ctx, const std::string &command, const Error &error);

/// Runs `nesa` with the given arguments, writing to `out` and `err`; returns the exit code.
int runNesa(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

} // namespace nesa::cli
