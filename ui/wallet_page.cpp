#include "ui/wallet_page.h"

#include "ui/qr_code.h"
#include "ui/wallet_activity.h"

#include <QApplication>
#include <QClipboard>
#include <QDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {

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
  m_stake = new QPushButton(tr("Stake…"));
  m_unstake = new QPushButton(tr("Unstake…"));
  m_receive = new QPushButton(tr("Receive…"));
  m_qr = new QLabel;
  m_staked = new QLabel;
  m_activity = new WalletActivity(backend);

  auto *addressRow = new QHBoxLayout;
  addressRow->addWidget(m_address, 1);
  addressRow->addWidget(copy);
  addressRow->addWidget(m_receive);
  auto *lockRow = new QHBoxLayout;
  lockRow->addWidget(m_passphraseField, 1);
  lockRow->addWidget(m_unlock);
  auto *form = new QFormLayout;
  form->addRow(tr("Address"), addressRow);
  form->addRow(tr("Balance"), m_balance);
  form->addRow(tr("Stake"), m_staked);
  form->addRow(tr("Passphrase"), lockRow);
  auto *buttons = new QHBoxLayout;
  buttons->addWidget(refreshButton);
  buttons->addWidget(m_send);
  buttons->addWidget(m_stake);
  buttons->addWidget(m_unstake);
  buttons->addStretch(1);
  auto *top = new QHBoxLayout;
  auto *left = new QVBoxLayout;
  left->addLayout(form);
  left->addLayout(buttons);
  left->addWidget(m_status);
  top->addLayout(left, 1);
  top->addWidget(m_qr, 0, Qt::AlignTop);
  auto *layout = new QVBoxLayout(this);
  layout->addLayout(top);
  layout->addWidget(m_activity, 1);

  m_loading = new QFutureWatcher<WalletSummary>(this);
  connect(m_loading, &QFutureWatcher<WalletSummary>::finished, this,
          [this] { showSummary(m_loading->result()); });
  connect(copy, &QPushButton::clicked, this,
          [this] { QApplication::clipboard()->setText(m_address->text()); });
  connect(refreshButton, &QPushButton::clicked, this, &WalletPage::refresh);
  connect(m_unlock, &QPushButton::clicked, this, [this] { setLocked(isUnlocked()); });
  connect(m_send, &QPushButton::clicked, this, [this] { openSendDialog(WalletAction::Send); });
  connect(m_stake, &QPushButton::clicked, this, [this] { openSendDialog(WalletAction::Stake); });
  connect(m_unstake, &QPushButton::clicked, this,
          [this] { openSendDialog(WalletAction::Unstake); });
  connect(m_receive, &QPushButton::clicked, this, &WalletPage::openReceiveDialog);
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
    WalletSummary locked;
    locked.error = tr("Locked: enter the wallet's passphrase to see the balance and send.");
    showSummary(locked);
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
  QString stake;
  if (!summary.address.isEmpty()) {
    stake = tr("%1 staked").arg(formatNesAmount(summary.staked));
    if (summary.unbonding > 0)
      stake += tr(", %1 unbonding").arg(formatNesAmount(summary.unbonding));
  }
  m_staked->setText(stake);
  m_qr->setPixmap(summary.address.isEmpty() ? QPixmap()
                                            : QPixmap::fromImage(qrCodeImage(summary.address, 3)));
  m_receive->setEnabled(!summary.address.isEmpty());
  m_status->setText(summary.error);
  if (isUnlocked())
    m_activity->refresh(m_passphrase);
  else
    m_activity->clear();
  if (isUnlocked() && !m_announced) {
    m_announced = true;
    Q_EMIT unlockedWith(m_passphrase);
  }
  Q_EMIT refreshed();
}

void WalletPage::forgetPassphrase() {
  // Overwritten before it is let go (a copy still shared elsewhere keeps its own characters
  // until that owner lets it go too).
  m_passphrase.fill(QLatin1Char('\0'));
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
  setActionsEnabled(false);
}

void WalletPage::setActionsEnabled(bool enabled) {
  for (auto *button : {m_send, m_stake, m_unstake})
    button->setEnabled(enabled);
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
  setActionsEnabled(unlocked);
  if (unlocked && m_autoLock->interval() > 0)
    m_autoLock->start();
  else
    m_autoLock->stop();
  refresh();
}

QString WalletPage::stakeText() const { return m_staked->text(); }

SendDialog *WalletPage::openSendDialog(WalletAction action) {
  if (!isUnlocked())
    return nullptr;
  auto *dialog = new SendDialog(m_backend, m_passphrase, action, this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  connect(dialog, &SendDialog::sent, this, &WalletPage::refresh);
  dialog->show();
  return dialog;
}

QDialog *WalletPage::openReceiveDialog() {
  if (m_address->text().isEmpty())
    return nullptr;
  auto *dialog = new QDialog(this);
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Receive NES"));
  auto *qr = new QLabel;
  qr->setPixmap(QPixmap::fromImage(qrCodeImage(m_address->text(), 8)));
  qr->setAlignment(Qt::AlignCenter);
  auto *address = new QLabel(m_address->text());
  address->setTextInteractionFlags(Qt::TextSelectableByMouse);
  address->setAlignment(Qt::AlignCenter);
  auto *explain = new QLabel(tr("Anyone can send NES to this address: show them the code or "
                                "give them the address. It reveals no secret."));
  explain->setWordWrap(true);
  auto *copy = new QPushButton(tr("Copy the address"));
  connect(copy, &QPushButton::clicked, dialog,
          [text = m_address->text()] { QApplication::clipboard()->setText(text); });
  auto *layout = new QVBoxLayout(dialog);
  layout->addWidget(qr);
  layout->addWidget(address);
  layout->addWidget(explain);
  layout->addWidget(copy);
  dialog->show();
  return dialog;
}

} // namespace nesa::ui
