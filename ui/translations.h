// Loading the user-interface language.
#pragma once

#include <QString>

class QCoreApplication;

namespace nesa::ui {

/// Installs the translation for `language` ("en", "fr") into `app` in place of the one
/// installed before; false when none exists (the interface then stays as it was).
bool installTranslation(QCoreApplication &app, const QString &language);

} // namespace nesa::ui
