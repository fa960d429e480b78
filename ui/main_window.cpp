#include "ui/main_window.h"

#include "ui/analyze_page.h"
#include "ui/audit_page.h"
#include "ui/drop_file_list.h"
#include "ui/history_page.h"
#include "ui/miner_page.h"
#include "ui/miner_tray.h"
#include "ui/network_page.h"
#include "ui/settings_page.h"
#include "ui/sign_in_bar.h"
#include "ui/translations.h"
#include "ui/wallet_page.h"

#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace nesa::ui {

MainWindow::MainWindow(const Backends &backends, QWidget *parent)
    : QMainWindow(parent), m_backends(backends), m_startConfig(backends.settings.load()) {
  setWindowIcon(QIcon(QStringLiteral(":/icons/nesa.svg")));
  resize(1100, 700);
  buildPages();
  m_tray = new MinerTray(this);
}

void MainWindow::followAuditAccess() {
  const bool mayRead = m_backends.audit && m_backends.audit->access().isEmpty();
  if (mayRead && !m_audit) {
    m_audit = new AuditPage(*m_backends.audit, m_tabs);
    m_tabs->addTab(m_audit, tr("Audit"));
    connect(m_wallet, &WalletPage::unlockedWith, m_audit, &AuditPage::openWith);
    connect(m_wallet, &WalletPage::locked, m_audit, &AuditPage::lock);
  } else if (!mayRead && m_audit) {
    m_audit->lock();
    m_tabs->removeTab(m_tabs->indexOf(m_audit));
    m_audit->deleteLater();
    m_audit = nullptr;
  }
}

void MainWindow::buildPages() {
  // What survives a rebuild: the listed files and the page in front.
  const QStringList files = m_analyze ? fileList()->paths() : QStringList();
  const bool rebuilding = m_tabs != nullptr;
  const int tab = rebuilding ? m_tabs->currentIndex() : 0;
  const auto waiting = m_history ? m_history->pendingRecords() : std::vector<AnalysisRecord>();

  setWindowTitle(tr("Nesa Desktop"));
  auto *central = new QWidget(this);
  auto *layout = new QVBoxLayout(central);
  auto *title = new QLabel(tr("Private analysis"), central);
  QFont titleFont = title->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
  titleFont.setBold(true);
  title->setFont(titleFont);
  layout->addWidget(title);
  auto *hint = new QLabel(tr("Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, "
                             "MD) below. Files are read on this computer; what leaves it depends "
                             "on the privacy level: nothing at local, data scrambled with your key "
                             "at ee, random-looking shares at hss."),
                          central);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  m_tabs = new QTabWidget(central);
  m_analyze = new AnalyzePage(m_backends.analysis, m_tabs);
  m_analyze->setPacsBackend(m_backends.pacs);
  m_wallet = new WalletPage(m_backends.wallet, m_tabs);
  m_miner = new MinerPage(m_backends.miner, m_tabs);
  m_network = new NetworkPage(m_backends.network, m_tabs);
  m_history = new HistoryPage(m_backends.history, m_tabs);
  m_settings = new SettingsPage(m_backends.settings, m_tabs);
  m_tabs->addTab(m_analyze, tr("Analyze"));
  m_tabs->addTab(m_wallet, tr("Wallet"));
  m_tabs->addTab(m_miner, tr("Miner"));
  m_tabs->addTab(m_network, tr("Network"));
  m_tabs->addTab(m_history, tr("History"));
  m_tabs->addTab(m_settings, tr("Settings"));
  m_audit = nullptr;
  m_signInBar = nullptr;
  if (m_backends.signIn) {
    m_signInBar = new SignInBar(*m_backends.signIn, m_tabs);
    m_tabs->setCornerWidget(m_signInBar, Qt::TopRightCorner);
    connect(m_signInBar, &SignInBar::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 15000); });
    connect(m_signInBar, &SignInBar::signInChanged, this, &MainWindow::followAuditAccess);
  }
  layout->addWidget(m_tabs, 1);
  setCentralWidget(central); // deletes the previous pages

  connect(fileList(), &DropFileList::filesAdded, this, &MainWindow::updateStatus);
  connect(fileList(), &DropFileList::filesRemoved, this, &MainWindow::updateStatus);
  connect(fileList(), &DropFileList::itemsRefused, this,
          [this](const QString &why) { statusBar()->showMessage(why, 8000); });
  connect(m_settings, &SettingsPage::saved, this, &MainWindow::settingsSaved);
  connect(m_miner, &MinerPage::preferencesChanged, this, &MainWindow::saveMinerPreferences);
  connect(m_miner, &MinerPage::updated, this, [this] {
    if (m_tray)
      m_tray->update();
  });
  // The history opens with the wallet's passphrase and closes when the wallet locks.
  connect(m_wallet, &WalletPage::unlockedWith, m_history, &HistoryPage::openWith);
  connect(m_wallet, &WalletPage::locked, m_history, &HistoryPage::lock);
  connect(m_analyze, &AnalyzePage::analysisRecorded, m_history, &HistoryPage::record);
  connect(m_wallet, &WalletPage::unlockedWith, m_analyze, &AnalyzePage::setWalletPassphrase);
  connect(m_wallet, &WalletPage::locked, m_analyze, [this] { m_analyze->setWalletPassphrase({}); });
  followAuditAccess();
  if (rebuilding) {
    // The new wallet page starts locked: close the stores the old one opened.
    m_history->lock();
    if (m_audit)
      m_audit->lock();
  }
  for (const auto &record : waiting)
    m_history->record(record);
  applySettings(m_settings->settings());
  fileList()->addPaths(files);
  m_tabs->setCurrentIndex(tab);
  updateStatus();
}

void MainWindow::applySettings(const Config &config) {
  m_analyze->selectLevel(QString::fromStdString(config.defaultPrivacy));
  m_wallet->setAutoLockMinutes(config.autoLockMinutes);
  m_miner->setPreferences(config);
}

void MainWindow::settingsSaved(const Config &config, const Config &previous) {
  applySettings(config);
  if (config.language == previous.language)
    return;
  // Later: the page whose Save button is being handled must not be deleted under it.
  QTimer::singleShot(0, this, [this, language = QString::fromStdString(config.language)] {
    if (!switchLanguage(language))
      statusBar()->showMessage(
          tr("The language changes at the next start: a file is opening or a run is going on."),
          10000);
  });
}

void MainWindow::saveMinerPreferences() {
  const Config config = m_miner->preferences(m_settings->settings());
  if (const QString error = m_backends.settings.save(config); !error.isEmpty()) {
    statusBar()->showMessage(tr("The miner's choices were not saved: %1").arg(error), 10000);
    return;
  }
  m_settings->showSettings(config);
}

void MainWindow::stopMinerUnlessKept() {
  if (m_miner->isRunning() && !m_miner->keepsRunning()) {
    statusBar()->showMessage(tr("Stopping the miner…"));
    QApplication::setOverrideCursor(Qt::WaitCursor);
    m_miner->stopAndWait();
    QApplication::restoreOverrideCursor();
  }
}

void MainWindow::closeEvent(QCloseEvent *event) {
  if (!m_quitting && m_miner->isRunning() && m_miner->keepsRunning() && m_tray &&
      m_tray->isAvailable()) {
    hide();
    m_tray->notify(tr("The miner keeps serving. Open Nesa Desktop from this icon."));
    event->ignore();
    return;
  }
  stopMinerUnlessKept();
  event->accept();
}

void MainWindow::quitFromTray() {
  m_quitting = true;
  stopMinerUnlessKept();
  QApplication::quit();
}

bool MainWindow::switchLanguage(const QString &language) {
  if (m_analyze->isBusy() || !installTranslation(*qApp, language))
    return false;
  buildPages();
  if (m_tray)
    m_tray->update();
  Q_EMIT languageSwitched();
  return true;
}

DropFileList *MainWindow::fileList() const { return m_analyze->fileList(); }

bool MainWindow::showPage(const QString &name) {
  const std::pair<const char *, QWidget *> pages[] = {
      {"analyze", m_analyze}, {"wallet", m_wallet},     {"miner", m_miner}, {"network", m_network},
      {"history", m_history}, {"settings", m_settings}, {"audit", m_audit},
  };
  for (const auto &[pageName, page] : pages)
    if (page && name == QLatin1String(pageName)) {
      m_tabs->setCurrentWidget(page);
      return true;
    }
  return false;
}

void MainWindow::updateStatus() {
  const QString network =
      m_startConfig.network == "join"
          ? tr("Network: joining %1").arg(QString::fromStdString(m_startConfig.nodeAddress))
          : tr("Network: local (everything on this computer), %n local miner(s)", "",
               m_startConfig.devnetMiners);
  statusBar()->showMessage(tr("%n file(s) ready", "", fileList()->count()) + QStringLiteral(" · ") +
                           network);
}

} // namespace nesa::ui
