// Process-wide logging (spdlog behind a small interface, so callers don't pull in fmt).
#pragma once

#include "util/result.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace nesa::log {

/// Severity, lowest first.
enum class Level { Trace, Debug, Info, Warn, Error, Off };

/// Parses "trace", "debug", "info", "warn", "error" or "off".
Result<Level> parseLevel(std::string_view name);

/// Where and how much to log.
struct Options {
  Level level = Level::Info;
  /// Also append to this file (rotated at 5 MiB, 3 files kept); empty = stderr only.
  std::filesystem::path file;
};

/// Replaces the process logger; before any call, messages go to stderr at Info.
Result<void> init(const Options &options);

/// Writes one message. Never pass secrets: logs are plaintext on disk.
void write(Level level, std::string_view message);

inline void debug(std::string_view message) { write(Level::Debug, message); }
inline void info(std::string_view message) { write(Level::Info, message); }
inline void warn(std::string_view message) { write(Level::Warn, message); }
inline void error(std::string_view message) { write(Level::Error, message); }

} // namespace nesa::log
