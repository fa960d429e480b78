// nesa-desktop: the Qt desktop app.
#include "ui/drop_file_list.h"
#include "ui/main_window.h"
#include "ui/translations.h"
#include "util/config.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>

int main(int argc, char **argv) {
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Nesa Desktop"));
  QApplication::setApplicationVersion(QString::fromLatin1(nesa::kVersion));
  QApplication::setOrganizationName(QStringLiteral("Nesa"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QApplication::translate("main", "Private AI on other people's GPUs, paid in NES."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption configOption(
      QStringLiteral("config"), QApplication::translate("main", "Read settings from <file>."),
      QStringLiteral("file"), QString::fromStdString(nesa::paths::configFile().string()));
  const QCommandLineOption languageOption(
      QStringLiteral("language"), QApplication::translate("main", "Interface language (en, fr)."),
      QStringLiteral("code"));
  parser.addOption(configOption);
  parser.addOption(languageOption);
  parser.addPositionalArgument(QStringLiteral("files"),
                               QApplication::translate("main", "Files to add to the list."),
                               QStringLiteral("[files...]"));
  parser.process(app);

  auto config = nesa::loadConfig(parser.value(configOption).toStdString());
  if (!config) {
    QMessageBox::critical(nullptr, QApplication::translate("main", "Nesa Desktop"),
                          QString::fromStdString(config.error().message));
    return 1;
  }
  const auto level = nesa::log::parseLevel(config->logLevel);
  (void)nesa::log::init({level ? *level : nesa::log::Level::Info,
                         config->effectiveDataDir() / "logs" / "nesa-desktop.log"});
  nesa::log::info(std::string("nesa-desktop ") + nesa::kVersion + " starting");

  const QString language = parser.isSet(languageOption) ? parser.value(languageOption)
                                                        : QString::fromStdString(config->language);
  nesa::ui::installTranslation(app, language);

  const nesa::ui::NetworkSummary network{
      QString::fromStdString(config->network),
      config->network == "join"
          ? QString::fromStdString(config->nodeAddress)
          : QApplication::translate("main", "%n local miner(s)", "", config->devnetMiners)};
  nesa::ui::MainWindow window(network);
  window.fileList()->addPaths(parser.positionalArguments());
  window.show();
  return QApplication::exec();
}
