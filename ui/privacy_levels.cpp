#include "ui/privacy_levels.h"

#include <QCoreApplication>

namespace nesa::ui {

QStringList privacyLevels() {
  return {QStringLiteral("local"), QStringLiteral("ee"), QStringLiteral("hss"),
          QStringLiteral("hss-ee")};
}

QString privacyLevelTitle(const QString &level) {
  if (level == QLatin1String("local"))
    return QCoreApplication::translate("privacy", "On this computer only (local)");
  if (level == QLatin1String("ee"))
    return QCoreApplication::translate("privacy", "Scrambled with your key (ee)");
  if (level == QLatin1String("hss"))
    return QCoreApplication::translate("privacy", "Secret shares (hss)");
  return QCoreApplication::translate("privacy", "Shares of scrambled data (hss-ee)");
}

QString privacyLevelSentence(const QString &level) {
  if (level == QLatin1String("local"))
    return QCoreApplication::translate("privacy", "Nothing leaves this computer.");
  if (level == QLatin1String("ee"))
    return QCoreApplication::translate(
        "privacy", "Miners compute on data scrambled with your secret key; someone who has the "
                   "original public model can unscramble it, so this hides your data from "
                   "eavesdroppers, not from the miners.");
  if (level == QLatin1String("hss"))
    return QCoreApplication::translate(
        "privacy", "Each miner sees only random-looking shares of your data; it stays hidden "
                   "unless every miner of a query colludes.");
  return QCoreApplication::translate(
      "privacy", "Each miner sees only random-looking shares of data scrambled with your key. "
                 "If every miner of a query colludes, they get the scrambled data, which someone "
                 "who has the original public model can unscramble.");
}

} // namespace nesa::ui
