#include "file_settings_backend.h"

namespace nesa::app {

QString FileSettingsBackend::save(const Config &config) {
  if (auto saved = saveConfig(config, m_file); !saved)
    return QString::fromStdString(saved.error().message);
  m_config = config;
  return {};
}

} // namespace nesa::app
