#include "ui/send_dialog.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {

SendDialog::SendDialog(WalletBackend &backend, QString passphrase, WalletAction action,
                       QWidget *parent)
    : QDialog(parent), m_backend(backend), m_passphrase(std::move(passphrase)), m_action(action) {
  setWindowTitle(action == WalletAction::Send    ? tr("Send NES")
                 : action == WalletAction::Stake ? tr("Stake NES")
                                                 : tr("Unstake NES"));
  m_to = new QLineEdit(this); // owned by the dialog even when the action has no recipient
  m_to->setPlaceholderText(QStringLiteral("0x…"));
  m_amount = new QLineEdit;
  m_amount->setPlaceholderText(tr("e.g. 2.5"));
  m_reviewText = new QLabel;
  m_reviewText->setWordWrap(true);
  m_outcome = new QLabel;
  m_outcome->setWordWrap(true);
  m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_review = new QPushButton(tr("Review"));
  m_confirm = new QPushButton(action == WalletAction::Send    ? tr("Confirm and send")
                              : action == WalletAction::Stake ? tr("Confirm and stake")
                                                              : tr("Confirm and unstake"));
  m_confirm->setEnabled(false);
  auto *close = new QPushButton(tr("Close"));
  auto *form = new QFormLayout;
  if (action == WalletAction::Send)
    form->addRow(tr("To"), m_to);
  else
    m_to->hide();
  form->addRow(tr("Amount (NES)"), m_amount);
  if (action != WalletAction::Send) {
    auto *explain = new QLabel(action == WalletAction::Stake
                                   ? tr("Stake is locked: it lets this account's miner serve "
                                        "jobs and weighs its votes. A proven wrong answer of "
                                        "the miner costs part of it.")
                                   : tr("Unstaked NES return to the balance after the "
                                        "unbonding period."));
    explain->setWordWrap(true);
    form->addRow(explain);
  }
  auto *buttons = new QHBoxLayout;
  buttons->addWidget(m_review);
  buttons->addWidget(m_confirm);
  buttons->addStretch(1);
  buttons->addWidget(close);
  auto *layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(m_reviewText);
  layout->addLayout(buttons);
  layout->addWidget(m_outcome);

  m_quoting = new QFutureWatcher<TransferQuote>(this);
  m_sending = new QFutureWatcher<QString>(this);
  connect(m_review, &QPushButton::clicked, this, &SendDialog::review);
  connect(m_confirm, &QPushButton::clicked, this, &SendDialog::confirm);
  connect(close, &QPushButton::clicked, this, &QDialog::reject);
  // Any change to what would be sent needs a new review.
  for (auto *field : {m_to, m_amount})
    connect(field, &QLineEdit::textChanged, this, [this] {
      m_confirm->setEnabled(false);
      m_reviewText->clear();
    });
  connect(m_quoting, &QFutureWatcher<TransferQuote>::finished, this, [this] {
    m_quote = m_quoting->result();
    m_review->setEnabled(true);
    if (!m_quote.error.isEmpty()) {
      m_reviewText->setText(m_quote.error);
    } else {
      QString text =
          tr("Amount: %1\nBalance: %2\nNetwork fee: %3 (gas, paid in the chain's own currency)")
              .arg(formatNesAmount(m_reviewedAmount), formatNesAmount(m_quote.balance),
                   m_quote.networkFee);
      const bool covered = m_quote.amount <= m_quote.balance;
      if (!covered)
        text +=
            QLatin1Char('\n') + tr("The balance does not cover the total: nothing can be sent.");
      if (!m_quote.feeCovered)
        text +=
            QLatin1Char('\n') + tr("The account cannot pay the network fee: nothing can be sent.");
      m_reviewText->setText(text);
      m_confirm->setEnabled(covered && m_quote.feeCovered);
    }
    Q_EMIT reviewed();
  });
  connect(m_sending, &QFutureWatcher<QString>::finished, this, [this] {
    const QString answer = m_sending->result();
    m_outcome->setText(answer.startsWith(QLatin1String("error: "))
                           ? answer.mid(7)
                           : tr("Sent. Transaction %1").arg(answer));
    m_review->setEnabled(true);
    Q_EMIT sent();
  });
}

SendDialog::~SendDialog() {
  m_quoting->waitForFinished();
  m_sending->waitForFinished();
}

QString SendDialog::reviewText() const { return m_reviewText->text(); }
QString SendDialog::outcomeText() const { return m_outcome->text(); }

void SendDialog::review() {
  const QString to = m_to->text().trimmed();
  const std::int64_t amount = parseNesAmount(m_amount->text());
  m_confirm->setEnabled(false);
  static const QRegularExpression ethereumAddress(QStringLiteral("^0x[0-9a-fA-F]{40}$"));
  if (m_action == WalletAction::Send && !ethereumAddress.match(to).hasMatch()) {
    m_reviewText->setText(tr("The recipient must be an address: 0x and 40 hexadecimal digits."));
    Q_EMIT reviewed();
    return;
  }
  if (amount <= 0) {
    m_reviewText->setText(tr("The amount must be a positive number of NES, with at most six "
                             "decimals."));
    Q_EMIT reviewed();
    return;
  }
  // What Confirm sends: exactly what was reviewed (the fields may change meanwhile).
  m_reviewedTo = to;
  m_reviewedAmount = amount;
  m_review->setEnabled(false);
  m_reviewText->setText(tr("Asking the chain for the fee…"));
  WalletBackend *backend = &m_backend;
  m_quoting->setFuture(
      QtConcurrent::run([backend, action = m_action, to, amount, passphrase = m_passphrase] {
        return backend->quote(action, to, amount, passphrase);
      }));
}

void SendDialog::confirm() {
  m_confirm->setEnabled(false);
  m_review->setEnabled(false);
  m_outcome->setText(tr("Signing and sending…"));
  WalletBackend *backend = &m_backend;
  const QString to = m_reviewedTo;
  const std::int64_t amount = m_reviewedAmount;
  m_sending->setFuture(
      QtConcurrent::run([backend, action = m_action, to, amount, passphrase = m_passphrase] {
        return backend->submit(action, to, amount, passphrase);
      }));
}

} // namespace nesa::ui
