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
  // One catalogue at a time: the one installed before gives way to the new one.
  const QString name = QStringLiteral("nesa-interface-language");
  for (auto *previous : app.findChildren<QTranslator *>(name, Qt::FindDirectChildrenOnly)) {
    QCoreApplication::removeTranslator(previous);
    previous->deleteLater();
  }
  translator->setObjectName(name);
  return QCoreApplication::installTranslator(translator);
}

} // namespace nesa::ui
