// The desktop app's main window: the analyze page (drop, view, run, result), the wallet,
// miner, network, history and settings pages (and the audit page, for those who may read the
// audit trail) as tabs under a title, with the network it runs on in
// the status bar. Saved settings apply at once where they can; a new language rebuilds the pages.
#pragma once

#include "util/config.h"

#include <QMainWindow>

class QTabWidget;

namespace nesa::ui {

class AnalysisBackend;
class AnalyzePage;
class AuditBackend;
class AuditPage;
class DropFileList;
class HistoryBackend;
class HistoryPage;
class MinerBackend;
class MinerPage;
class MinerTray;
class NetworkBackend;
class NetworkPage;
class SettingsBackend;
class PacsBackend;
class SettingsPage;
class SignInBackend;
class SignInBar;
class WalletBackend;
class WalletPage;

/// The product behind the window's pages: one small interface per page.
struct Backends {
  AnalysisBackend &analysis;
  WalletBackend &wallet;
  MinerBackend &miner;
  NetworkBackend &network;
  HistoryBackend &history;
  SettingsBackend &settings;
  /// The hospital's PACS ("Open from PACS…", "Send result to PACS"); none: those stay hidden.
  PacsBackend *pacs = nullptr;
  /// This computer's audit trail; the Audit page is there only when this is given and the
  /// person may read it (the organisation's audit right, or no organisation).
  AuditBackend *audit = nullptr;
  /// Signing in with the organisation's identity provider; the sign-in bar is there only when
  /// this is given (and shows only when the policy names a provider or someone signed in).
  SignInBackend *signIn = nullptr;
};

/// The top-level window. The backends must outlive it.
class MainWindow : public QMainWindow {
  Q_OBJECT
public:
  explicit MainWindow(const Backends &backends, QWidget *parent = nullptr);

  /// The list files are dropped onto (the analyze page's).
  DropFileList *fileList() const;
  AnalyzePage *analyzePage() const { return m_analyze; }
  WalletPage *walletPage() const { return m_wallet; }
  MinerPage *minerPage() const { return m_miner; }
  NetworkPage *networkPage() const { return m_network; }
  HistoryPage *historyPage() const { return m_history; }
  SettingsPage *settingsPage() const { return m_settings; }
  /// The audit page; null when the window has none.
  AuditPage *auditPage() const { return m_audit; }
  /// The sign-in bar in the tabs' corner; null when the window has none.
  SignInBar *signInBar() const { return m_signInBar; }
  /// Brings a page to the front: "analyze", "wallet", "miner", "network", "history",
  /// "settings" or "audit"; false for another name or a page the window does not have.
  bool showPage(const QString &name);
  /// Quits the app (the tray menu's Quit): the miner is stopped first unless the user chose to
  /// keep it running.
  void quitFromTray();
  /// The tray icon.
  MinerTray *tray() const { return m_tray; }
  /// Installs `language` ("en", "fr") and rebuilds the pages in it, keeping the listed files
  /// and the page in front (the wallet locks). False, changing nothing, for an unknown language
  /// or while a file opens or a run goes on.
  bool switchLanguage(const QString &language);

Q_SIGNALS:
  /// Emitted after the pages were rebuilt in another language.
  void languageSwitched();

protected:
  /// Closing with the miner on: to the tray when the user keeps it running (and there is a
  /// tray), else the miner is stopped first when the user did not want it kept.
  void closeEvent(QCloseEvent *event) override;

private:
  void buildPages();
  /// Adds the audit page when the person may read the audit trail and removes it when they may
  /// no longer (after a sign-in or sign-out); it opens at the wallet's next unlock.
  void followAuditAccess();
  void saveMinerPreferences();
  void stopMinerUnlessKept();
  void applySettings(const Config &config);
  void settingsSaved(const Config &config, const Config &previous);
  void updateStatus();

  Backends m_backends;
  Config m_startConfig; ///< what the app started with (the network it runs on)
  AnalyzePage *m_analyze = nullptr;
  WalletPage *m_wallet = nullptr;
  MinerPage *m_miner = nullptr;
  NetworkPage *m_network = nullptr;
  HistoryPage *m_history = nullptr;
  SettingsPage *m_settings = nullptr;
  AuditPage *m_audit = nullptr;
  SignInBar *m_signInBar = nullptr;
  QTabWidget *m_tabs = nullptr;
  MinerTray *m_tray = nullptr;
  bool m_quitting = false;
};

} // namespace nesa::ui
