// What a `nesa` subcommand receives: settings, its own arguments, and where to write.
#pragma once

#include "util/config.h"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace nesa::cli {

/// The parsed global state handed to each subcommand.
struct Context {
  Config config;
  std::filesystem::path configFile;
  std::vector<std::string> args; ///< the words after the subcommand's name
  std::ostream &out;
  std::ostream &err;
};

} // namespace nesa::cli
