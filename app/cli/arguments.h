// A small command-line parser shared by `nesa` and `nesa-node` (no Qt, so both start fast).
#pragma once

#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace nesa::cli {

/// One accepted option: `--name VALUE` (takesValue) or a flag `--name`.
struct OptionSpec {
  std::string name;
  bool takesValue = false;
  std::string help;
  std::string valueName = "VALUE";
};

/// What was on the command line: options by name, then the remaining words in order.
struct Arguments {
  std::map<std::string, std::string> options; ///< flags map to ""
  std::vector<std::string> positional;

  bool has(const std::string &name) const { return options.count(name) != 0; }
  std::string value(const std::string &name, const std::string &fallback = {}) const;
  /// The option as a whole number in [low, high], or `fallback` when it is absent; a clear
  /// error ("--name takes a number from low to high") otherwise.
  Result<long long> integer(const std::string &name, long long fallback, long long low,
                            long long high) const;
};

/// Parses `argv[first..argc)`. Options may appear anywhere until a bare "--"; `--name=value`
/// and `--name value` both work. Unknown options and missing values are errors.
Result<Arguments> parseArguments(int argc, const char *const *argv, int first,
                                 const std::vector<OptionSpec> &specs);

/// Parses a subcommand's own words (`ctx.args`) as if they followed `command` on a command line.
Result<Arguments> parseWords(const std::string &command, const std::vector<std::string> &words,
                             const std::vector<OptionSpec> &specs);

/// Formats the option table for --help, one option per line, aligned.
std::string formatOptions(const std::vector<OptionSpec> &specs);

} // namespace nesa::cli
