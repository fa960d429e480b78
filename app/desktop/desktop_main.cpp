// nesa-desktop: the Qt desktop app.
#include "chain_wallet_backend.h"
#include "encrypted_audit_trail.h"
#include "encrypted_history.h"
#include "file_settings_backend.h"
#include "local_api_server.h"
#include "local_network.h"
#include "policy/storage_places.h"
#include "process_analysis_backend.h"
#include "process_miner_backend.h"
#include "process_network_backend.h"
#include "process_pacs_backend.h"
#include "process_sign_in_backend.h"
#include "scripted_run.h"
#include "ui/drop_file_list.h"
#include "ui/first_run_wizard.h"
#include "ui/main_window.h"
#include "ui/settings_page.h"
#include "ui/translations.h"
#include "ui/wallet_page.h"
#include "util/config.h"
#include "util/log.h"
#include "util/paths.h"
#include "util/private_scratch.h"
#include "util/version.h"
#include "wallet/wallet.h"
#include "wallet_setup.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEvent>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <utility>

#include <unistd.h>

namespace {

/// Milliseconds since this process was started (by the kernel's clock, so the time spent
/// loading shared libraries before main counts), or -1 when /proc cannot say.
long long millisecondsSinceProcessStart() {
  std::ifstream uptimeFile("/proc/uptime");
  double uptimeSeconds = 0;
  if (!(uptimeFile >> uptimeSeconds))
    return -1;
  std::ifstream statFile("/proc/self/stat");
  std::string stat;
  std::getline(statFile, stat);
  // Field 22 (starttime, in clock ticks after boot) comes 20 fields after the command's ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos)
    return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  for (int i = 3; i < 22 && fields >> field; ++i) {
  }
  unsigned long long startTicks = 0;
  if (!(fields >> startTicks))
    return -1;
  const long ticksPerSecond = sysconf(_SC_CLK_TCK);
  return static_cast<long long>(uptimeSeconds * 1000.0) -
         static_cast<long long>(startTicks * 1000 / ticksPerSecond);
}

/// Runs `then` once, right after `widget` is first painted (the window a user can see).
class AfterFirstPaint : public QObject {
public:
  AfterFirstPaint(QWidget &widget, std::function<void()> then)
      : QObject(&widget), m_then(std::move(then)) {
    widget.installEventFilter(this);
  }

  bool eventFilter(QObject *watched, QEvent *event) override {
    if (event->type() == QEvent::Paint && m_then) {
      watched->removeEventFilter(this);
      QTimer::singleShot(0, this, std::exchange(m_then, nullptr)); // once this paint is done
    }
    return false;
  }

private:
  std::function<void()> m_then;
};

} // namespace

int main(int argc, char **argv) {
  // As with the CLI, $NESA_WALLET_PASSPHRASE unlocks the wallet (for scripts). It is taken out
  // of the environment first, so no program the app starts inherits it.
  QString scriptedPassphrase = qEnvironmentVariable("NESA_WALLET_PASSPHRASE");
  qunsetenv("NESA_WALLET_PASSPHRASE");
  QElapsedTimer startup;
  startup.start();
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("Nesa Desktop"));
  QApplication::setApplicationVersion(QString::fromLatin1(nesa::kVersion));
  QApplication::setOrganizationName(QStringLiteral("Nesa"));
  // Ties the window to its menu entry and icon (packaging/ai.nesa.Desktop.desktop).
  QGuiApplication::setDesktopFileName(QStringLiteral("ai.nesa.Desktop"));

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
  const QCommandLineOption runOption(
      QStringLiteral("run"),
      QApplication::translate("main", "Open the first file and run <model> on it."),
      QStringLiteral("model"));
  const QCommandLineOption privacyOption(
      QStringLiteral("privacy"),
      QApplication::translate("main", "The privacy level for --run (default hss)."),
      QStringLiteral("level"), QStringLiteral("hss"));
  const QCommandLineOption screenshotOption(
      QStringLiteral("screenshot"),
      QApplication::translate("main", "Save the window as <png> and quit: when --run ends, or "
                                      "once the --show page has its data."),
      QStringLiteral("png"));
  parser.addOption(configOption);
  parser.addOption(languageOption);
  parser.addOption(runOption);
  parser.addOption(privacyOption);
  const QCommandLineOption showOption(
      QStringLiteral("show"),
      QApplication::translate(
          "main", "Open on <page> (analyze, wallet, miner, network, history, settings, audit; with "
                  "--screenshot, pacs: the Open from PACS dialog)."),
      QStringLiteral("page"), QStringLiteral("analyze"));
  parser.addOption(screenshotOption);
  parser.addOption(showOption);
  const QCommandLineOption firstRunOption(
      QStringLiteral("first-run"),
      QApplication::translate("main", "Show the first-run wizard even when a wallet exists (with "
                                      "--screenshot: save its recovery-phrase page and quit)."));
  parser.addOption(firstRunOption);
  const QCommandLineOption shareShotOption(
      QStringLiteral("screenshot-share"),
      QApplication::translate("main", "After --run, also save the \"What the miners saw\" tab "
                                      "as <png>."),
      QStringLiteral("png"));
  parser.addOption(shareShotOption);
  const QCommandLineOption quitWhenReadyOption(
      QStringLiteral("quit-when-ready"),
      QApplication::translate("main", "Quit as soon as the main window is shown, printing how "
                                      "long after launch that was (start-up timing)."));
  parser.addOption(quitWhenReadyOption);
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
  // Patient data a crashed or killed run left in its private scratch folders goes now.
  if (const int swept = nesa::paths::sweepStalePrivateScratch(); swept > 0)
    nesa::log::info("removed " + std::to_string(swept) +
                    " private scratch folders left by an earlier run");

  if (parser.isSet(languageOption))
    config->language = parser.value(languageOption).toStdString();
  nesa::ui::installTranslation(app, QString::fromStdString(config->language));

  nesa::app::ProcessAnalysisBackend backend;
  nesa::app::ChainWalletBackend wallet(parser.value(configOption));
  nesa::app::ProcessMinerBackend miner;
  nesa::app::ProcessNetworkBackend nodes;
  nesa::app::FileSettingsBackend settings(parser.value(configOption).toStdString(), *config);
  // The first start (no wallet yet): the wizard makes the wallet and picks language and network.
  const auto walletFile = nesa::wallet::defaultWalletFile(config->effectiveDataDir());
  const bool scripted = parser.isSet(runOption) || parser.isSet(showOption) ||
                        parser.isSet(screenshotOption) || parser.isSet(quitWhenReadyOption);
  std::error_code noWallet;
  if (parser.isSet(firstRunOption) ||
      (!scripted && !std::filesystem::exists(walletFile, noWallet))) {
    nesa::app::WalletSetup setup(walletFile);
    nesa::ui::FirstRunWizard wizard(setup, settings);
    if (parser.isSet(screenshotOption)) {
      wizard.show();
      wizard.next(); // language → wallet
      wizard.next(); // wallet → the new recovery phrase (nothing is created)
      wizard.grab().save(parser.value(screenshotOption));
      return 0;
    }
    wizard.exec(); // cancelled: the app opens anyway, and the wallet page says there is none
    *config = settings.load(); // the language and network chosen
  }
  nesa::app::EncryptedHistory history(nesa::policy::historyFile(*config));
  nesa::app::ProcessPacsBackend pacs(parser.value(configOption));
  nesa::app::EncryptedAuditTrail auditTrail(nesa::policy::auditFolder(*config));
  nesa::app::ProcessSignInBackend signIn(parser.value(configOption));
  nesa::ui::MainWindow window(
      {backend, wallet, miner, nodes, history, settings, &pacs, &auditTrail, &signIn});
  window.fileList()->addPaths(parser.positionalArguments());
  window.show();
  // Out of the box everything runs on this computer: a devnet when none is running.
  nesa::app::LocalNetwork localNetwork(
      config->devnetMiners, parser.value(configOption),
      QString::fromStdString((config->effectiveDataDir() / "logs" / "devnet.log").string()));
  QObject::connect(
      &localNetwork, &nesa::app::LocalNetwork::stateChanged, &window,
      [&window](const QString &text) { window.statusBar()->showMessage(text, 15000); });
  if (config->network == "devnet")
    localNetwork.ensureRunning();
  // The local API for the user's other programs, when the settings say so (and, with a wallet,
  // while it is unlocked).
  nesa::app::LocalApiServer localApi(
      parser.value(configOption), QString::fromStdString(walletFile.string()),
      QString::fromStdString((config->effectiveDataDir() / "logs" / "api.log").string()));
  QObject::connect(
      &localApi, &nesa::app::LocalApiServer::stateChanged, &window,
      [&window](const QString &text) { window.statusBar()->showMessage(text, 15000); });
  QObject::connect(window.walletPage(), &nesa::ui::WalletPage::unlockedWith, &localApi,
                   &nesa::app::LocalApiServer::walletUnlocked);
  QObject::connect(window.walletPage(), &nesa::ui::WalletPage::locked, &localApi,
                   &nesa::app::LocalApiServer::walletLocked);
  // Transfers to and from the PACS are recorded in the audit log with the wallet's passphrase.
  QObject::connect(window.walletPage(), &nesa::ui::WalletPage::unlockedWith, &window,
                   [&pacs](const QString &passphrase) { pacs.setWalletPassphrase(passphrase); });
  QObject::connect(window.walletPage(), &nesa::ui::WalletPage::locked, &window,
                   [&pacs] { pacs.setWalletPassphrase({}); });
  QObject::connect(window.settingsPage(), &nesa::ui::SettingsPage::saved, &localApi,
                   [&localApi](const nesa::Config &now, const nesa::Config &) {
                     localApi.configure(now.apiEnabled, now.apiPort);
                   });
  localApi.configure(config->apiEnabled, config->apiPort);
  const bool quitWhenReady = parser.isSet(quitWhenReadyOption);
  new AfterFirstPaint(window, [&startup, quitWhenReady] {
    const long long sinceLaunch = millisecondsSinceProcessStart();
    nesa::log::info("window painted " + std::to_string(startup.elapsed()) + " ms after main, " +
                    std::to_string(sinceLaunch) + " ms after launch");
    if (quitWhenReady) {
      if (sinceLaunch > 0)
        std::printf("nesa-desktop: window ready %lld ms after launch\n", sinceLaunch);
      else
        std::fprintf(stderr, "nesa-desktop: this system does not say when the process started\n");
      std::fflush(stdout);
      QApplication::exit(sinceLaunch > 0 ? 0 : 1);
    }
  });
  const QString shown = parser.value(showOption);
  // "pacs" is the analyze page with its Open from PACS dialog (scripted_run.cpp).
  if (!window.showPage(shown == QLatin1String("pacs") ? QStringLiteral("analyze") : shown)) {
    std::fprintf(stderr,
                 "nesa-desktop: no page '%s' (analyze, wallet, miner, network, history, settings, "
                 "audit)\n",
                 qPrintable(parser.value(showOption)));
    return 2;
  }
  if (!scriptedPassphrase.isEmpty())
    window.walletPage()->unlock(scriptedPassphrase);
  scriptedPassphrase.fill(QLatin1Char('\0'));
  scriptedPassphrase.clear();
  if (parser.isSet(runOption))
    nesa::app::runThenQuit(window, parser.value(runOption), parser.value(privacyOption),
                           parser.value(screenshotOption), parser.value(shareShotOption));
  else if (parser.isSet(screenshotOption))
    nesa::app::screenshotPageThenQuit(window, parser.value(showOption),
                                      parser.value(screenshotOption));
  return QApplication::exec();
}
