#include "ui/main_window.h"

#include "ui/analyze_page.h"
#include "ui/drop_file_list.h"
#include "ui/miner_page.h"
#include "ui/network_page.h"
#include "ui/wallet_page.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace nesa::ui {

MainWindow::MainWindow(const NetworkSummary &network, const Backends &backends, QWidget *parent)
    : QMainWindow(parent) {
  setWindowTitle(tr("Nesa Desktop"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/nesa.svg")));
  resize(1100, 700);

  auto *central = new QWidget(this);
  auto *layout = new QVBoxLayout(central);
  auto *title = new QLabel(tr("Private analysis"), central);
  QFont titleFont = title->font();
  titleFont.setPointSizeF(titleFont.pointSizeF() * 1.4);
  titleFont.setBold(true);
  title->setFont(titleFont);
  layout->addWidget(title);
  auto *hint = new QLabel(tr("Drop MRI scans (DICOM, NIfTI), images or documents (PDF, DOCX, TXT, "
                             "MD) below. Files stay on this computer: only encrypted shares leave "
                             "it."),
                          central);
  hint->setWordWrap(true);
  layout->addWidget(hint);
  m_tabs = new QTabWidget(central);
  m_analyze = new AnalyzePage(backends.analysis, m_tabs);
  m_wallet = new WalletPage(backends.wallet, m_tabs);
  m_miner = new MinerPage(backends.miner, m_tabs);
  m_network = new NetworkPage(backends.network, m_tabs);
  m_tabs->addTab(m_analyze, tr("Analyze"));
  m_tabs->addTab(m_wallet, tr("Wallet"));
  m_tabs->addTab(m_miner, tr("Miner"));
  m_tabs->addTab(m_network, tr("Network"));
  layout->addWidget(m_tabs, 1);
  setCentralWidget(central);

  m_networkText = network.mode == QLatin1String("join")
                      ? tr("Network: joining %1").arg(network.detail)
                      : tr("Network: local (everything on this computer), %1").arg(network.detail);
  connect(fileList(), &DropFileList::filesAdded, this, &MainWindow::updateStatus);
  connect(fileList(), &DropFileList::filesRemoved, this, &MainWindow::updateStatus);
  connect(fileList(), &DropFileList::itemsRefused, this,
          [this](const QString &why) { statusBar()->showMessage(why, 8000); });
  updateStatus();
}

DropFileList *MainWindow::fileList() const { return m_analyze->fileList(); }

bool MainWindow::showPage(const QString &name) {
  if (name == QLatin1String("analyze"))
    m_tabs->setCurrentWidget(m_analyze);
  else if (name == QLatin1String("wallet"))
    m_tabs->setCurrentWidget(m_wallet);
  else if (name == QLatin1String("miner"))
    m_tabs->setCurrentWidget(m_miner);
  else if (name == QLatin1String("network"))
    m_tabs->setCurrentWidget(m_network);
  else
    return false;
  return true;
}

void MainWindow::updateStatus() {
  statusBar()->showMessage(tr("%n file(s) ready", "", fileList()->count()) + QStringLiteral(" · ") +
                           m_networkText);
}

} // namespace nesa::ui
