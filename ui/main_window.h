// The desktop app's main window: the analyze page (drop, view, run, result), the wallet, miner
// and network pages as tabs under a title, with the network it runs on in the status bar.
#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace nesa::ui {

class AnalysisBackend;
class AnalyzePage;
class DropFileList;
class MinerBackend;
class MinerPage;
class NetworkBackend;
class NetworkPage;
class WalletBackend;
class WalletPage;

/// What the window shows about the network it runs on.
struct NetworkSummary {
  QString mode;   ///< "devnet" or "join"
  QString detail; ///< node address, or how many local miners
};

/// The product behind the window's pages: one small interface per page.
struct Backends {
  AnalysisBackend &analysis;
  WalletBackend &wallet;
  MinerBackend &miner;
  NetworkBackend &network;
};

/// The top-level window. The backends must outlive it.
class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  MainWindow(const NetworkSummary &network, const Backends &backends, QWidget *parent = nullptr);

  /// The list files are dropped onto (the analyze page's).
  DropFileList *fileList() const;
  /// The analyze page.
  AnalyzePage *analyzePage() const { return m_analyze; }
  /// The wallet page.
  WalletPage *walletPage() const { return m_wallet; }
  /// The miner page.
  MinerPage *minerPage() const { return m_miner; }
  /// The network page.
  NetworkPage *networkPage() const { return m_network; }
  /// Brings a page to the front: "analyze", "wallet", "miner" or "network"; false for another
  /// name.
  bool showPage(const QString &name);

private:
  void updateStatus();

  AnalyzePage *m_analyze = nullptr;
  WalletPage *m_wallet = nullptr;
  MinerPage *m_miner = nullptr;
  NetworkPage *m_network = nullptr;
  QTabWidget *m_tabs = nullptr;
  QString m_networkText;
};

} // namespace nesa::ui
