// The first-run wizard: the interface language, then a wallet — a new one (the recovery phrase
// shown once, its backup proved by three of its words) or a restored one — locked by a
// passphrase, then the network: everything on this computer, or a node to join. Each page
// writes its text when it is shown, so the pages after the first speak the language chosen.
#pragma once

#include "ui/settings_backend.h"
#include "ui/wallet_setup_backend.h"

#include <QWizard>

#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;

namespace nesa::ui {

/// The wizard. The backends must outlive it.
class FirstRunWizard : public QWizard {
  Q_OBJECT
public:
  /// The pages, in the order a new wallet meets them.
  enum PageId { Language, WalletChoice, Phrase, Confirm, Restore, Passphrase, Network };

  FirstRunWizard(WalletSetupBackend &wallet, SettingsBackend &settings, QWidget *parent = nullptr);

  /// The positions (1-based) of the words the confirm page asks for.
  const std::vector<int> &confirmPositions() const { return m_positions; }
  /// The words of the new phrase, while the wizard runs (empty once the wallet exists).
  const QStringList &phraseWords() const { return m_words; }
  /// The error shown on the current page ("" when none).
  QString errorText() const;
  /// True once the wallet file was created.
  bool walletCreated() const { return m_created; }

private:
  class Page;
  Page *addPage(PageId id);
  void buildLanguagePage();
  void buildWalletChoicePage();
  void buildPhrasePage();
  void buildConfirmPage();
  void buildRestorePage();
  void buildPassphrasePage();
  void buildNetworkPage();
  bool createWallet();
  void showError(const QString &text);

  WalletSetupBackend &m_wallet;
  SettingsBackend &m_settings;
  QStringList m_words;
  std::vector<int> m_positions;
  bool m_created = false;
  QComboBox *m_language = nullptr;
  QRadioButton *m_create = nullptr;
  QRadioButton *m_restore = nullptr;
  QLabel *m_phraseText = nullptr;
  QCheckBox *m_written = nullptr;
  std::vector<QLineEdit *> m_answers;
  std::vector<QLabel *> m_answerLabels;
  QPlainTextEdit *m_restorePhrase = nullptr;
  QLineEdit *m_passphrase = nullptr;
  QLineEdit *m_repeat = nullptr;
  QRadioButton *m_devnet = nullptr;
  QRadioButton *m_join = nullptr;
  QLineEdit *m_node = nullptr;
  QLineEdit *m_deployment = nullptr;
};

} // namespace nesa::ui
