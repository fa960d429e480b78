#include "ui/wallet_page.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {

std::int64_t parseNesAmount(const QString &text) {
  static const QRegularExpression pattern(
      QStringLiteral("^\\s*(\\d{1,12})(?:[.,](\\d{0,6}))?\\s*$"));
  const auto match = pattern.match(text);
  if (!match.hasMatch())
    return -1;
  const QString fraction = match.captured(2).leftJustified(6, QLatin1Char('0'));
  return match.captured(1).toLongLong() * 1'000'000 + fraction.toLongLong();
}

QString formatNesAmount(std::int64_t micro) {
  return QStringLiteral("%1.%2 NES")
      .arg(micro / 1'000'000)
      .arg(micro % 1'000'000, 6, 10, QLatin1Char('0'));
}

SendDialog::SendDialog(WalletBackend &backend, QString passphrase, QWidget *parent)
    : QDialog(parent), m_backend(backend), m_passphrase(std::move(passphrase)) {
  setWindowTitle(tr("Send NES"));
  m_to = new QLineEdit;
  m_to->setPlaceholderText(QStringLiteral("nes1…"));
  m_amount = new QLineEdit;
  m_amount->setPlaceholderText(tr("e.g. 2.5"));
  m_reviewText = new QLabel;
  m_reviewText->setWordWrap(true);
  m_outcome = new QLabel;
  m_outcome->setWordWrap(true);
  m_outcome->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_review = new QPushButton(tr("Review"));
  m_confirm = new QPushButton(tr("Confirm and send"));
  m_confirm->setEnabled(false);
  auto *close = new QPushButton(tr("Close"));
  auto *form = new QFormLayout;
  form->addRow(tr("To"), m_to);
  form->addRow(tr("Amount (NES)"), m_amount);
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
      QString text = tr("Amount: %1\nFee: %2\nTotal: %3\nBalance: %4")
                         .arg(formatNesAmount(m_quote.amount), formatNesAmount(m_quote.fee),
                              formatNesAmount(m_quote.total), formatNesAmount(m_quote.balance));
      const bool covered = m_quote.total <= m_quote.balance;
      if (!covered)
        text +=
            QLatin1Char('\n') + tr("The balance does not cover the total: nothing can be sent.");
      m_reviewText->setText(text);
      m_confirm->setEnabled(covered);
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
  if (!to.startsWith(QLatin1String("nes1"))) {
    m_reviewText->setText(tr("The recipient must be a NES address (nes1…)."));
    Q_EMIT reviewed();
    return;
  }
  if (amount <= 0) {
    m_reviewText->setText(tr("The amount must be a positive number of NES, with at most six "
                             "decimals."));
    Q_EMIT reviewed();
    return;
  }
  m_review->setEnabled(false);
  m_reviewText->setText(tr("Asking the ledger for the fee…"));
  WalletBackend *backend = &m_backend;
  m_quoting->setFuture(QtConcurrent::run([backend, to, amount, passphrase = m_passphrase] {
    return backend->quote(to, amount, passphrase);
  }));
}

void SendDialog::confirm() {
  m_confirm->setEnabled(false);
  m_review->setEnabled(false);
  m_outcome->setText(tr("Signing and sending…"));
  WalletBackend *backend = &m_backend;
  const QString to = m_to->text().trimmed();
  const std::int64_t amount = m_quote.amount;
  m_sending->setFuture(QtConcurrent::run([backend, to, amount, passphrase = m_passphrase] {
    return backend->send(to, amount, passphrase);
  }));
}

WalletPage::WalletPage(WalletBackend &backend, QWidget *parent)
    : QWidget(parent), m_backend(backend) {
  m_address = new QLabel;
  m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto *copy = new QPushButton(tr("Copy"));
  m_balance = new QLabel;
  QFont big = m_balance->font();
  big.setPointSizeF(big.pointSizeF() * 1.6);
  big.setBold(true);
  m_balance->setFont(big);
  m_status = new QLabel;
  m_status->setObjectName(QStringLiteral("walletStatus"));
  m_status->setWordWrap(true);
  auto *refreshButton = new QPushButton(tr("Refresh"));
  m_passphraseField = new QLineEdit;
  m_passphraseField->setEchoMode(QLineEdit::Password);
  m_passphraseField->setPlaceholderText(tr("Wallet passphrase"));
  m_unlock = new QPushButton(tr("Unlock"));
  m_unlock->setObjectName(QStringLiteral("walletLock"));
  m_send = new QPushButton(tr("Send…"));

  auto *addressRow = new QHBoxLayout;
  addressRow->addWidget(m_address, 1);
  addressRow->addWidget(copy);
  auto *lockRow = new QHBoxLayout;
  lockRow->addWidget(m_passphraseField, 1);
  lockRow->addWidget(m_unlock);
  auto *form = new QFormLayout;
  form->addRow(tr("Address"), addressRow);
  form->addRow(tr("Balance"), m_balance);
  form->addRow(tr("Passphrase"), lockRow);
  auto *buttons = new QHBoxLayout;
  buttons->addWidget(refreshButton);
  buttons->addWidget(m_send);
  buttons->addStretch(1);
  auto *layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);
  layout->addWidget(m_status);
  layout->addStretch(1);

  m_loading = new QFutureWatcher<WalletSummary>(this);
  connect(m_loading, &QFutureWatcher<WalletSummary>::finished, this,
          [this] { showSummary(m_loading->result()); });
  connect(copy, &QPushButton::clicked, this,
          [this] { QApplication::clipboard()->setText(m_address->text()); });
  connect(refreshButton, &QPushButton::clicked, this, &WalletPage::refresh);
  connect(m_unlock, &QPushButton::clicked, this, [this] { setLocked(isUnlocked()); });
  connect(m_send, &QPushButton::clicked, this, [this] { openSendDialog(); });
  m_autoLock = new QTimer(this);
  m_autoLock->setSingleShot(true);
  connect(m_autoLock, &QTimer::timeout, this, [this] {
    if (!isUnlocked())
      return;
    setLocked(true);
    m_status->setText(tr("Locked after %n minute(s) without activity.", "",
                         std::max(1, m_autoLock->interval() / 60000)));
  });
  qApp->installEventFilter(this);
  setLocked(true);
}

void WalletPage::setAutoLockInterval(int milliseconds) {
  m_autoLock->stop();
  m_autoLock->setInterval(milliseconds);
  if (milliseconds > 0 && isUnlocked())
    m_autoLock->start();
}

bool WalletPage::eventFilter(QObject *watched, QEvent *event) {
  // Any key press or click in the app counts as activity and postpones the auto-lock.
  const auto type = event->type();
  if ((type == QEvent::KeyPress || type == QEvent::MouseButtonPress) && m_autoLock->isActive())
    m_autoLock->start();
  return QWidget::eventFilter(watched, event);
}

WalletPage::~WalletPage() { m_loading->waitForFinished(); }

void WalletPage::unlock(const QString &passphrase) {
  m_passphraseField->setText(passphrase);
  setLocked(false);
}

QString WalletPage::addressText() const { return m_address->text(); }
QString WalletPage::balanceText() const { return m_balance->text(); }

void WalletPage::refresh() {
  if (m_loading->isRunning())
    return;
  if (!isUnlocked()) {
    showSummary({{}, 0, tr("Locked: enter the wallet's passphrase to see the balance and send.")});
    return;
  }
  m_status->setText(tr("Reading the balance…"));
  WalletBackend *backend = &m_backend;
  m_loading->setFuture(QtConcurrent::run(
      [backend, passphrase = m_passphrase] { return backend->summary(passphrase); }));
}

void WalletPage::showSummary(const WalletSummary &summary) {
  if (summary.address.isEmpty() && isUnlocked())
    setLockedQuietly();
  m_address->setText(summary.address);
  m_balance->setText(summary.address.isEmpty() ? QStringLiteral("—")
                                               : formatNesAmount(summary.balance));
  m_status->setText(summary.error);
  if (isUnlocked() && !m_announced) {
    m_announced = true;
    Q_EMIT unlockedWith(m_passphrase);
  }
  Q_EMIT refreshed();
}

void WalletPage::forgetPassphrase() {
  m_passphrase.clear();
  if (m_announced) {
    m_announced = false;
    Q_EMIT locked();
  }
}

void WalletPage::setLockedQuietly() {
  forgetPassphrase();
  m_autoLock->stop();
  m_passphraseField->setVisible(true);
  m_unlock->setText(tr("Unlock"));
  m_send->setEnabled(false);
}

void WalletPage::setLocked(bool locked) {
  if (locked) {
    forgetPassphrase();
  } else {
    m_passphrase = m_passphraseField->text();
    m_passphraseField->clear();
  }
  const bool unlocked = isUnlocked();
  m_passphraseField->setVisible(!unlocked);
  m_unlock->setText(unlocked ? tr("Lock") : tr("Unlock"));
  m_send->setEnabled(unlocked);
  if (unlocked && m_autoLock->interval() > 0)
    m_autoLock->start();
  else
    m_autoLock->stop();
  refresh();
}

SendDialog *WalletPage::openSendDialog() {
  if (!isUnlocked())
    return nullptr;
  auto *dialog = new SendDialog(m_backend, m_passphrase, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &SendDialog::sent, this, &WalletPage::refresh);
  dialog->show();
  return dialog;
}

} // namespace nesa::ui
