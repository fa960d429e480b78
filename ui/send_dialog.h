// Review-then-confirm for one wallet transaction: a transfer, a stake or an unstake. The amount,
// the balance and the network fee come from the chain off the GUI thread before anything is
// signed; an amount above the balance, a fee the account cannot pay, malformed input and any
// change after the review are refused.
#pragma once

#include "ui/wallet_backend.h"

#include <QDialog>
#include <QFutureWatcher>

class QLabel;
class QLineEdit;
class QPushButton;

namespace nesa::ui {

/// The dialog for one action; `backend` must outlive it.
class SendDialog : public QDialog {
  Q_OBJECT
public:
  SendDialog(WalletBackend &backend, QString passphrase, WalletAction action = WalletAction::Send,
             QWidget *parent = nullptr);
  ~SendDialog() override;

  WalletAction action() const { return m_action; }
  /// The recipient (hidden unless the action is Send).
  QLineEdit *recipientField() const { return m_to; }
  QLineEdit *amountField() const { return m_amount; }
  QPushButton *reviewButton() const { return m_review; }
  QPushButton *confirmButton() const { return m_confirm; }
  /// The amount, fee, total and balance lines, or why the action cannot be made.
  QString reviewText() const;
  /// The transaction id after a submission, or the error.
  QString outcomeText() const;

Q_SIGNALS:
  void reviewed();
  /// Emitted when the submission ended, well or not.
  void sent();

private:
  void review();
  void confirm();

  WalletBackend &m_backend;
  QString m_passphrase;
  WalletAction m_action;
  QLineEdit *m_to = nullptr;
  QLineEdit *m_amount = nullptr;
  QLabel *m_reviewText = nullptr;
  QLabel *m_outcome = nullptr;
  QPushButton *m_review = nullptr;
  QPushButton *m_confirm = nullptr;
  QFutureWatcher<TransferQuote> *m_quoting = nullptr;
  QFutureWatcher<QString> *m_sending = nullptr;
  TransferQuote m_quote;
  QString m_reviewedTo;              ///< the recipient the last review priced
  std::int64_t m_reviewedAmount = 0; ///< the µNES the last review priced (what Confirm sends)
};

} // namespace nesa::ui
