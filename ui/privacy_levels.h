// The privacy levels as the app names and explains them: one honest sentence each, the same as
// docs/privacy.md says.
#pragma once

#include <QString>
#include <QStringList>

namespace nesa::ui {

/// "local", "ee", "hss", "hss-ee", in the order the picker lists them.
QStringList privacyLevels();

/// The translated name shown in the picker ("Shares (hss)").
QString privacyLevelTitle(const QString &level);

/// The translated sentence that says what `level` protects and what it does not.
QString privacyLevelSentence(const QString &level);

} // namespace nesa::ui
