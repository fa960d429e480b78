// Loading the user-interface language.
#pragma once

#include <QString>

class QCoreApplication;

namespace nesa::ui {

/// Installs the translation for `language` ("en", "fr") into `app`; false when none exists
/// (the interface then stays in English).
bool installTranslation(QCoreApplication &app, const QString &language);

} // namespace nesa::ui
