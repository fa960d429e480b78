// A fake SettingsBackend for the UI tests: settings in memory, saves counted, and a save that
// fails when `failSaves` is set (as a full disk or a read-only folder would).
#pragma once

#include "ui/settings_backend.h"

namespace nesa::testing {

class FakeSettingsBackend : public ui::SettingsBackend {
public:
  Config config;
  int saves = 0;
  bool failSaves = false;
  QString requiredBy; ///< what auditLogRequiredBy() answers

  Config load() override { return config; }
  QString save(const Config &next) override {
    if (failSaves)
      return QStringLiteral("the settings folder is read-only");
    ++saves;
    config = next;
    return {};
  }
  QString auditLogRequiredBy() override { return requiredBy; }
};

} // namespace nesa::testing
