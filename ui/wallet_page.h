// The wallet page: the address (with a QR code, a copy button and a Receive dialog), the balance
// and stake; sending, staking and unstaking NES through a dialog that shows amount, fee and
// total before anything is signed; the account's history and the network's proposals with
// voting. The passphrase unlocks the wallet until Lock or the auto-lock forgets it.
#pragma once

#include "ui/send_dialog.h"
#include "ui/wallet_backend.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace nesa::ui {

class WalletActivity;

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
  /// Opens the dialog for `action` (the wallet must be unlocked).
  SendDialog *openSendDialog(WalletAction action = WalletAction::Send);
  /// Opens the dialog that shows the address as a QR code, to receive NES.
  QDialog *openReceiveDialog();
  /// The stake line ("1.000000 NES staked"), empty while locked.
  QString stakeText() const;
  /// The history and governance tabs.
  WalletActivity *activity() const { return m_activity; }
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
  /// Send, Stake and Unstake need the unlocked wallet.
  void setActionsEnabled(bool enabled);

  WalletBackend &m_backend;
  QString m_passphrase;
  QFutureWatcher<WalletSummary> *m_loading = nullptr;
  QLabel *m_address = nullptr;
  QLabel *m_balance = nullptr;
  QLabel *m_status = nullptr;
  QLineEdit *m_passphraseField = nullptr;
  QPushButton *m_unlock = nullptr;
  QPushButton *m_send = nullptr;
  QPushButton *m_stake = nullptr;
  QPushButton *m_unstake = nullptr;
  QPushButton *m_receive = nullptr;
  QLabel *m_qr = nullptr;
  QLabel *m_staked = nullptr;
  WalletActivity *m_activity = nullptr;
  QTimer *m_autoLock = nullptr;
  bool m_announced = false; ///< unlockedWith was emitted for the passphrase held now
};

} // namespace nesa::ui
