#include "util/log.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <atomic>
#include <mutex>
#include <spdlog/spdlog.h>

#include <array>
#include <memory>

namespace nesa::log {
namespace {

constexpr std::array<std::pair<std::string_view, Level>, 6> kLevelNames{{
    {"trace", Level::Trace},
    {"debug", Level::Debug},
    {"info", Level::Info},
    {"warn", Level::Warn},
    {"error", Level::Error},
    {"off", Level::Off},
}};

spdlog::level::level_enum toSpdlog(Level level) {
  switch (level) {
  case Level::Trace: return spdlog::level::trace;
  case Level::Debug: return spdlog::level::debug;
  case Level::Info: return spdlog::level::info;
  case Level::Warn: return spdlog::level::warn;
  case Level::Error: return spdlog::level::err;
  case Level::Off: return spdlog::level::off;
  }
  return spdlog::level::info;
}

} // namespace

Result<Level> parseLevel(std::string_view name) {
  for (const auto &[text, level] : kLevelNames)
    if (text == name)
      return level;
  return fail(ErrorCode::InvalidInput, "unknown log level '" + std::string(name) +
                                           "' (use trace, debug, info, warn, error or off)");
}

namespace {
std::once_flag g_defaultOnce;
std::atomic<bool> g_initialized{false};
} // namespace

Result<void> init(const Options &options) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
  if (!options.file.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.file.parent_path(), ec);
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options.file.string(),
                                                                             5 * 1024 * 1024, 3));
    } catch (const spdlog::spdlog_ex &e) {
      return fail(ErrorCode::Io, "cannot open log file " + options.file.string() + ": " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("nesa", sinks.begin(), sinks.end());
  logger->set_level(toSpdlog(options.level));
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e [%^%l%$] %v");
  // Info and above reach the disk at once, so a crash or a kill loses no message that matters.
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(std::move(logger));
  g_initialized = true;
  return {};
}

void write(Level level, std::string_view message) {
  // spdlog's own default logger writes to stdout, which programs keep for their results.
  if (!g_initialized)
    std::call_once(g_defaultOnce, [] {
      if (!g_initialized)
        (void)init({});
    });
  spdlog::default_logger_raw()->log(toSpdlog(level), message);
}

} // namespace nesa::log
