#include "ui/translations.h"

#include <QCoreApplication>
#include <QTranslator>

namespace nesa::ui {

bool installTranslation(QCoreApplication &app, const QString &language) {
  auto *translator = new QTranslator(&app);
  if (!translator->load(QStringLiteral(":/i18n/nesa_%1.qm").arg(language))) {
    delete translator;
    return false;
  }
  return QCoreApplication::installTranslator(translator);
}

} // namespace nesa::ui
