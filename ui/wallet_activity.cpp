#include "ui/wallet_activity.h"

#include "ui/read_only_table.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {
namespace {

QWidget *tab(QLabel *text, QTableWidget *table, QLayout *buttons = nullptr) {
  auto *page = new QWidget;
  auto *layout = new QVBoxLayout(page);
  text->setWordWrap(true);
  layout->addWidget(text);
  layout->addWidget(table, 1);
  if (buttons)
    layout->addLayout(buttons);
  return page;
}

} // namespace

WalletActivity::WalletActivity(WalletBackend &backend, QWidget *parent)
    : QTabWidget(parent), m_backend(backend) {
  m_history = makeReadOnlyTable({tr("Block"), tr("What"), tr("Amount"), tr("With")});
  m_proposals = makeReadOnlyTable({tr("Change"), tr("Yes"), tr("No"), tr("State"), tr("Proposal")});
  m_sessions = makeReadOnlyTable(
      {tr("Opened in block"), tr("Miner"), tr("Deposit"), tr("Paid"), tr("State")});
  m_sessionsText = new QLabel;
  m_historyText = new QLabel;
  m_governanceText = new QLabel;
  m_yes = new QPushButton(tr("Vote yes"));
  m_no = new QPushButton(tr("Vote no"));
  auto *buttons = new QHBoxLayout;
  buttons->addWidget(m_yes);
  buttons->addWidget(m_no);
  buttons->addStretch(1);
  addTab(tab(m_historyText, m_history), tr("History"));
  addTab(tab(m_sessionsText, m_sessions), tr("Sessions"));
  addTab(tab(m_governanceText, m_proposals, buttons), tr("Governance"));

  m_reading = new QFutureWatcher<Activity>(this);
  m_voting = new QFutureWatcher<QString>(this);
  connect(m_reading, &QFutureWatcher<Activity>::finished, this,
          [this] { show(m_reading->result()); });
  connect(m_voting, &QFutureWatcher<QString>::finished, this, [this] {
    const QString error = m_voting->result();
    m_voteOutcome = error.isEmpty() ? tr("Your vote is recorded on chain.")
                                    : tr("The vote was refused: %1").arg(error);
    m_governanceText->setText(m_voteOutcome);
    Q_EMIT voted();
    refresh(m_passphrase);
  });
  connect(m_proposals, &QTableWidget::itemSelectionChanged, this,
          &WalletActivity::updateVoteButtons);
  connect(m_yes, &QPushButton::clicked, this, [this] { voteOnSelected(true); });
  connect(m_no, &QPushButton::clicked, this, [this] { voteOnSelected(false); });
  clear();
}

WalletActivity::~WalletActivity() {
  m_reading->waitForFinished();
  m_voting->waitForFinished();
}

QString WalletActivity::governanceText() const { return m_governanceText->text(); }
QString WalletActivity::historyText() const { return m_historyText->text(); }

void WalletActivity::refresh(const QString &passphrase) {
  m_passphrase = passphrase;
  if (m_reading->isRunning() || passphrase.isEmpty())
    return;
  WalletBackend *backend = &m_backend;
  m_reading->setFuture(QtConcurrent::run([backend, passphrase] {
    return Activity{backend->history(passphrase), backend->sessions(passphrase),
                    backend->proposals()};
  }));
}

void WalletActivity::clear() {
  m_passphrase.clear();
  m_voteOutcome.clear();
  m_shown.clear();
  m_history->setRowCount(0);
  m_proposals->setRowCount(0);
  m_sessions->setRowCount(0);
  m_sessionsText->clear();
  m_historyText->setText(tr("Unlock the wallet to see its history and vote."));
  m_governanceText->clear();
  updateVoteButtons();
}

void WalletActivity::show(const Activity &activity) {
  if (m_passphrase.isEmpty()) // locked while reading: show nothing
    return;
  const auto &entries = activity.history.entries;
  m_history->setRowCount(static_cast<int>(entries.size()));
  for (int row = 0; row < static_cast<int>(entries.size()); ++row) {
    const auto &e = entries[static_cast<std::size_t>(row)];
    setCell(m_history, row, 0, QString::number(e.height), true);
    setCell(m_history, row, 1, e.kind);
    setCell(m_history, row, 2, formatNesAmount(e.amount), true);
    setCell(m_history, row, 3, e.counterparty);
  }
  m_historyText->setText(!activity.history.error.isEmpty()
                             ? tr("The history could not be read: %1").arg(activity.history.error)
                         : entries.empty() ? tr("No transactions yet.")
                                           : QString());

  showSessions(activity.sessions);

  m_shown = activity.governance.proposals;
  m_proposals->setRowCount(static_cast<int>(m_shown.size()));
  for (int row = 0; row < static_cast<int>(m_shown.size()); ++row) {
    const auto &p = m_shown[static_cast<std::size_t>(row)];
    setCell(m_proposals, row, 0, p.change);
    setCell(m_proposals, row, 1, formatNesAmount(p.yes), true);
    setCell(m_proposals, row, 2, formatNesAmount(p.no), true);
    setCell(m_proposals, row, 3, p.state);
    setCell(m_proposals, row, 4, p.id.left(16));
  }
  QString governance =
      !activity.governance.error.isEmpty()
          ? tr("The proposals could not be read: %1").arg(activity.governance.error)
      : m_shown.empty()
          ? tr("No proposals. NES holders vote on the network's parameters here.")
          : tr("Select an active proposal and vote. A vote weighs the NES the account had "
               "delegated when the vote opened ('nesa gov delegate' delegates them).");
  if (!m_voteOutcome.isEmpty())
    governance += QLatin1Char(' ') + m_voteOutcome;
  m_governanceText->setText(governance);
  updateVoteButtons();
  Q_EMIT updated();
}

void WalletActivity::showSessions(const WalletSessions &sessions) {
  const auto &list = sessions.sessions;
  m_sessions->setRowCount(static_cast<int>(list.size()));
  for (int row = 0; row < static_cast<int>(list.size()); ++row) {
    const auto &s = list[static_cast<std::size_t>(row)];
    setCell(m_sessions, row, 0, QString::number(s.openedAt), true);
    setCell(m_sessions, row, 1, s.miner);
    setCell(m_sessions, row, 2, s.open ? formatNesAmount(s.deposit) : QString(), true);
    setCell(m_sessions, row, 3, s.open ? formatNesAmount(s.paid) : QString(), true);
    setCell(m_sessions, row, 4,
            s.open ? tr("open until %1")
                         .arg(QLocale().toString(QDateTime::fromSecsSinceEpoch(s.until),
                                                 QLocale::ShortFormat))
            : s.deposit ? tr("expired: the rest returns after the settle window")
                        : tr("closed, the rest refunded"));
  }
  m_sessionsText->setText(
      !sessions.error.isEmpty() ? tr("The sessions could not be read: %1").arg(sessions.error)
      : list.empty()            ? tr("No payment sessions yet: an analysis on the network opens "
                                                "one with each miner it pays.")
                                : tr("Each session locks a deposit for one miner; verified answers "
                                                "are paid from it, and what is left returns when it ends."));
}

void WalletActivity::updateVoteButtons() {
  const auto rows = m_proposals->selectionModel()->selectedRows();
  const bool open = !rows.isEmpty() && rows.first().row() < static_cast<int>(m_shown.size()) &&
                    m_shown[static_cast<std::size_t>(rows.first().row())].open &&
                    !m_passphrase.isEmpty() && !m_voting->isRunning();
  m_yes->setEnabled(open);
  m_no->setEnabled(open);
}

void WalletActivity::voteOnSelected(bool yes) {
  const auto rows = m_proposals->selectionModel()->selectedRows();
  if (rows.isEmpty() || m_passphrase.isEmpty() || m_voting->isRunning())
    return;
  const auto &proposal = m_shown[static_cast<std::size_t>(rows.first().row())];
  if (!proposal.open)
    return;
  m_voteOutcome.clear();
  m_governanceText->setText(tr("Signing and sending the vote…"));
  WalletBackend *backend = &m_backend;
  m_voting->setFuture(
      QtConcurrent::run([backend, id = proposal.id, yes, passphrase = m_passphrase] {
        return backend->vote(id, yes, passphrase);
      }));
  updateVoteButtons();
}

} // namespace nesa::ui
