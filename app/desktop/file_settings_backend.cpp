#include "file_settings_backend.h"

#include "policy/enforcement.h"

namespace nesa::app {

QString FileSettingsBackend::save(const Config &config) {
  if (auto saved = saveConfig(config, m_file); !saved)
    return QString::fromStdString(saved.error().message);
  m_config = config;
  return {};
}

QString FileSettingsBackend::auditLogRequiredBy() {
  const auto installed = policy::Enforcement::installed();
  if (!installed.policy() || !installed.storage().auditRequired)
    return {};
  return QString::fromStdString(installed.policy()->organisation);
}

} // namespace nesa::app
