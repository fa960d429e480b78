// The `nesa` command-line client: global options, subcommands and their help.
#pragma once

#include <iosfwd>
#include <string>

namespace nesa {
struct Error;
}

namespace nesa::cli {

/// Process exit codes shared by nesa, nesa-node and nesa-miner.
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,     ///< the command ran and failed (the message says why)
  kExitUsage = 2,       ///< the command line was wrong
  kExitUnavailable = 3, ///< the command exists but is not available in this build yet
};

struct Context;

/// Prints "nesa COMMAND: message" and returns kExitUsage for InvalidInput, else kExitFailure.
int failWith(Context &ctx, const std::string &command, const Error &error);

/// Runs `nesa` with the given arguments, writing to `out` and `err`; returns the exit code.
int runNesa(int argc, const char *const *argv, std::ostream &out, std::ostream &err);

} // namespace nesa::cli
