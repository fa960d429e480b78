// The settings page's view of the product: the user's settings (util/config.h) and keeping
// them. The app implements it with the settings file (app/desktop/file_settings_backend.h);
// tests with fakes.
#pragma once

#include "util/config.h"

#include <QString>

namespace nesa::ui {

/// Where the settings live.
class SettingsBackend {
public:
  virtual ~SettingsBackend() = default;
  /// The settings in force (the defaults when none were saved).
  virtual Config load() = 0;
  /// Keeps `config` (already validated); "" or a readable reason it was not kept.
  virtual QString save(const Config &config) = 0;
  /// The organisation whose policy requires the audit log whatever the settings say; empty
  /// when the settings decide.
  virtual QString auditLogRequiredBy() { return {}; }
};

} // namespace nesa::ui
