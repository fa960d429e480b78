// The wallet page: the address (with a copy button), the balance, and sending NES through a
// dialog that shows amount, fee and total before anything is signed and refuses more than the
// balance. The passphrase unlocks the wallet for this window's lifetime; Lock forgets it.
#pragma once

#include "ui/wallet_backend.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QWidget>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace nesa::ui {

/// Review-then-confirm for one transfer. The quote is made off the GUI thread.
class SendDialog : public QDialog {
  Q_OBJECT
public:
  SendDialog(WalletBackend &backend, QString passphrase, QWidget *parent = nullptr);
  ~SendDialog() override;

  QLineEdit *recipientField() const { return m_to; }
  QLineEdit *amountField() const { return m_amount; }
  QPushButton *reviewButton() const { return m_review; }
  QPushButton *confirmButton() const { return m_confirm; }
  /// The amount, fee, total and balance lines, or why the transfer cannot be made.
  QString reviewText() const;
  /// The transaction id after a send, or the error.
  QString outcomeText() const;

Q_SIGNALS:
  void reviewed();
  void sent();

private:
  void review();
  void confirm();

  WalletBackend &m_backend;
  QString m_passphrase;
  QLineEdit *m_to = nullptr;
  QLineEdit *m_amount = nullptr;
  QLabel *m_reviewText = nullptr;
  QLabel *m_outcome = nullptr;
  QPushButton *m_review = nullptr;
  QPushButton *m_confirm = nullptr;
  QFutureWatcher<TransferQuote> *m_quoting = nullptr;
  QFutureWatcher<QString> *m_sending = nullptr;
  TransferQuote m_quote;
};

/// The wallet page. `backend` must outlive it.
class WalletPage : public QWidget {
  Q_OBJECT
public:
  explicit WalletPage(WalletBackend &backend, QWidget *parent = nullptr);
  ~WalletPage() override;

  QString addressText() const;
  QString balanceText() const;
  bool isUnlocked() const { return !m_passphrase.isEmpty(); }
  /// Reads the balance again (off the GUI thread).
  void refresh();
  /// Unlocks with `passphrase` (as typing it and pressing Unlock does) and reads the balance.
  void unlock(const QString &passphrase);
  /// Opens the send dialog (the wallet must be unlocked).
  SendDialog *openSendDialog();
  /// Locks the wallet after `minutes` without a key press or click in the app; 0 = never.
  void setAutoLockMinutes(int minutes) { setAutoLockInterval(minutes * 60 * 1000); }
  /// The same in milliseconds (tests use short ones).
  void setAutoLockInterval(int milliseconds);

Q_SIGNALS:
  void refreshed();
  /// Emitted once a passphrase has proved to open the wallet (the history opens with it).
  void unlockedWith(const QString &passphrase);
  /// Emitted when the wallet locks after having been unlocked.
  void locked();

protected:
  bool eventFilter(QObject *watched, QEvent *event) override;

private:
  void showSummary(const WalletSummary &summary);
  void setLocked(bool locked);
  /// Forgets the passphrase without reading the balance again (it did not unlock the wallet).
  void setLockedQuietly();
  /// Forgets the passphrase, and says so when it had opened the wallet.
  void forgetPassphrase();

  WalletBackend &m_backend;
  QString m_passphrase;
  QFutureWatcher<WalletSummary> *m_loading = nullptr;
  QLabel *m_address = nullptr;
  QLabel *m_balance = nullptr;
  QLabel *m_status = nullptr;
  QLineEdit *m_passphraseField = nullptr;
  QPushButton *m_unlock = nullptr;
  QPushButton *m_send = nullptr;
  QTimer *m_autoLock = nullptr;
  bool m_announced = false; ///< unlockedWith was emitted for the passphrase held now
};

} // namespace nesa::ui
