// The desktop app's SettingsBackend: the settings file the CLI and the daemons read too.
#pragma once

#include "ui/settings_backend.h"

#include <filesystem>

namespace nesa::app {

/// Loads and saves the settings in one JSON file (util/config.h).
class FileSettingsBackend : public ui::SettingsBackend {
public:
  /// `file`: the settings file (--config, or paths::configFile()); `initial`: what was read
  /// from it at start-up.
  FileSettingsBackend(std::filesystem::path file, Config initial)
      : m_file(std::move(file)), m_config(std::move(initial)) {}

  Config load() override { return m_config; }
  QString save(const Config &config) override;
  QString auditLogRequiredBy() override;

private:
  std::filesystem::path m_file;
  Config m_config;
};

} // namespace nesa::app
