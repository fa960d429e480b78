#include "ui/audit_page.h"

#include "ui/read_only_table.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {
namespace {

/// The actions the product records (core/audit's AuditEntry::action).
const char *const kActions[] = {"analysis", "export", "pacs-send"};

bool mentions(const AuditRecord &r, const QString &text) {
  for (const QString *field : {&r.actor, &r.action, &r.subject, &r.outcome, &r.details})
    if (field->contains(text, Qt::CaseInsensitive))
      return true;
  return false;
}

} // namespace

QString auditRecordText(const AuditRecord &r) {
  QString details = r.details;
  if (const auto json = QJsonDocument::fromJson(r.details.toUtf8()); json.isObject())
    details = QString::fromUtf8(json.toJson(QJsonDocument::Indented)).trimmed();
  return AuditPage::tr("Record %1").arg(r.sequence) + QLatin1Char('\n') +
         AuditPage::tr("Time: %1").arg(r.time.toUTC().toString(Qt::ISODate)) + QLatin1Char('\n') +
         AuditPage::tr("Who: %1").arg(r.actor) + QLatin1Char('\n') +
         AuditPage::tr("Action: %1").arg(r.action) + QLatin1Char('\n') +
         AuditPage::tr("Subject: %1").arg(r.subject) + QLatin1Char('\n') +
         AuditPage::tr("Outcome: %1").arg(r.outcome) + QStringLiteral("\n\n") +
         AuditPage::tr("Details:") + QLatin1Char('\n') + details;
}

AuditPage::AuditPage(AuditBackend &backend, QWidget *parent) : QWidget(parent), m_backend(backend) {
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_action = new QComboBox;
  m_action->addItem(tr("All actions"), QString());
  for (const char *action : kActions)
    m_action->addItem(QString::fromLatin1(action), QString::fromLatin1(action));
  m_actor = new QLineEdit;
  m_actor->setPlaceholderText(tr("Anyone"));
  m_actor->setToolTip(tr("Only the records of this user name, exactly as recorded."));
  m_actor->setClearButtonEnabled(true);
  m_since = new QComboBox;
  m_since->addItem(tr("Any time"), 0);
  m_since->addItem(tr("Today (UTC)"), -1);
  m_since->addItem(tr("Last 7 days"), 7);
  m_since->addItem(tr("Last 30 days"), 30);
  m_search = new QLineEdit;
  m_search->setPlaceholderText(tr("Search subjects, outcomes, details…"));
  m_search->setClearButtonEnabled(true);
  m_refresh = new QPushButton(tr("Refresh"));
  m_verify = new QPushButton(tr("Verify the log"));
  m_verify->setToolTip(tr("Re-hash every record and check the signed checkpoints, as "
                          "'nesa audit verify' does: an edited, deleted, reordered or "
                          "truncated record, or an older copy of the log, is found."));
  m_verified = new QLabel;
  m_verified->setWordWrap(true);
  m_table =
      makeReadOnlyTable({tr("Time (UTC)"), tr("Who"), tr("Action"), tr("Subject"), tr("Outcome")});
  m_detail = new QPlainTextEdit;
  m_detail->setReadOnly(true);

  auto *filters = new QHBoxLayout;
  filters->addWidget(m_action);
  filters->addWidget(m_actor);
  filters->addWidget(m_since);
  filters->addWidget(m_search, 1);
  filters->addWidget(m_refresh);
  filters->addWidget(m_verify);
  auto *split = new QSplitter(Qt::Vertical);
  split->addWidget(m_table);
  split->addWidget(m_detail);
  auto *layout = new QVBoxLayout(this);
  layout->addWidget(m_status);
  layout->addLayout(filters);
  layout->addWidget(m_verified);
  layout->addWidget(split, 1);

  m_working = new QFutureWatcher<Outcome>(this);
  connect(m_working, &QFutureWatcher<Outcome>::finished, this, [this] {
    m_busy = false;
    show(m_working->result());
    runNext();
  });
  connect(m_action, &QComboBox::currentIndexChanged, this, &AuditPage::refresh);
  connect(m_since, &QComboBox::currentIndexChanged, this, &AuditPage::refresh);
  connect(m_actor, &QLineEdit::editingFinished, this, &AuditPage::refresh);
  connect(m_actor, &QLineEdit::textChanged, this, [this](const QString &text) {
    if (text.isEmpty()) // cleared, by its button too: everyone again
      refresh();
  });
  connect(m_refresh, &QPushButton::clicked, this, &AuditPage::refresh);
  connect(m_verify, &QPushButton::clicked, this, &AuditPage::verifyLog);
  connect(m_search, &QLineEdit::textChanged, this, &AuditPage::showFiltered);
  connect(m_table, &QTableWidget::itemSelectionChanged, this, &AuditPage::showSelected);
  show({});
}

AuditPage::~AuditPage() { m_working->waitForFinished(); }

void AuditPage::openWith(const QString &passphrase) { enqueue({Call::Open, passphrase}); }
void AuditPage::lock() { enqueue({Call::Close, {}}); }
void AuditPage::verifyLog() { enqueue({Call::Verify, {}}); }

void AuditPage::refresh() {
  // Typing or flipping filters quickly asks once: a list already waiting reads the latest ones.
  if (!m_queue.empty() && m_queue.back().call == Call::List)
    return;
  enqueue({Call::List, {}});
}

AuditQuery AuditPage::query() const {
  AuditQuery q;
  q.action = m_action->currentData().toString();
  q.actor = m_actor->text().trimmed();
  const int days = m_since->currentData().toInt();
  const QDateTime now = QDateTime::currentDateTimeUtc();
  if (days < 0)
    q.since = QDateTime(now.date(), QTime(0, 0), Qt::UTC);
  else if (days > 0)
    q.since = now.addDays(-days);
  return q;
}

void AuditPage::enqueue(Request request) {
  m_queue.push_back(std::move(request));
  runNext();
}

void AuditPage::runNext() {
  // Not isRunning(): it turns false before `finished` is delivered, and a new future set in
  // between would drop that outcome.
  if (m_queue.empty() || m_busy)
    return;
  m_busy = true;
  Request request = std::move(m_queue.front());
  m_queue.pop_front();
  AuditBackend *backend = &m_backend;
  m_working->setFuture(QtConcurrent::run([backend, request = std::move(request), query = query()] {
    Outcome outcome;
    switch (request.call) {
    case Call::Open: outcome.error = backend->open(request.passphrase); break;
    case Call::Close: backend->close(); break;
    case Call::Verify: outcome.check = backend->verify(); break;
    case Call::List: break;
    }
    outcome.refusal = backend->access();
    outcome.open = backend->isOpen();
    if (request.call != Call::Verify) {
      QString error;
      outcome.records = outcome.open ? backend->list(query, error) : std::vector<AuditRecord>();
      if (outcome.error.isEmpty())
        outcome.error = error;
    }
    return outcome;
  }));
}

void AuditPage::show(const Outcome &outcome) {
  m_open = outcome.open;
  m_error = outcome.error;
  m_refusal = outcome.refusal;
  if (outcome.records)
    m_records = *outcome.records;
  if (!m_open)
    m_verified->clear();
  if (outcome.check) {
    const AuditCheck &check = *outcome.check;
    if (!check.error.isEmpty())
      m_verified->setText(tr("The log could not be checked: %1").arg(check.error));
    else if (check.intact())
      m_verified->setText(
          tr("The log is intact: %n record(s) re-hashed", "", static_cast<int>(check.records)) +
          tr(", %n signed checkpoint(s) checked.", "", static_cast<int>(check.checkpoints)));
    else
      m_verified->setText(tr("The log is NOT intact:") + QStringLiteral("\n• ") +
                          check.problems.join(QStringLiteral("\n• ")));
    m_verified->setStyleSheet(check.error.isEmpty() && !check.problems.isEmpty()
                                  ? QStringLiteral("color: #b00020;")
                                  : QString());
  }
  for (QWidget *w :
       std::initializer_list<QWidget *>{m_action, m_actor, m_since, m_search, m_refresh, m_verify})
    w->setEnabled(m_open);
  showFiltered();
  Q_EMIT updated();
}

void AuditPage::showFiltered() {
  const QString text = m_search->text().trimmed();
  m_shown.clear();
  for (auto r = m_records.rbegin(); r != m_records.rend(); ++r)
    if (text.isEmpty() || mentions(*r, text))
      m_shown.push_back(*r);

  QString status;
  if (!m_refusal.isEmpty())
    status = tr("You may not read the audit trail: %1").arg(m_refusal);
  else if (!m_error.isEmpty())
    status = tr("The audit trail could not be read: %1").arg(m_error);
  else if (!m_open)
    status = tr("The audit trail is kept encrypted with your wallet's passphrase: unlock the "
                "wallet to read it.");
  else
    status = tr("%n record(s) shown, newest first.", "", static_cast<int>(m_shown.size())) +
             (m_shown.size() == m_records.size()
                  ? QString()
                  : QLatin1Char(' ') + tr("%n more hidden by the search.", "",
                                          static_cast<int>(m_records.size() - m_shown.size())));
  m_status->setText(status);

  // The record shown in full stays selected when it is still listed.
  const auto selected = m_table->selectionModel()->selectedRows();
  const int oldRow = selected.isEmpty() ? -1 : selected.first().row();
  const bool hadRecord = oldRow >= 0 && m_table->item(oldRow, 0) != nullptr &&
                         m_table->item(oldRow, 0)->data(Qt::UserRole).isValid();
  const qulonglong keep =
      hadRecord ? m_table->item(oldRow, 0)->data(Qt::UserRole).toULongLong() : 0;
  m_table->clearSelection();
  m_table->setRowCount(static_cast<int>(m_shown.size()));
  int row = 0, reselect = 0;
  for (const auto &r : m_shown) {
    setCell(m_table, row, 0, r.time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    setCell(m_table, row, 1, r.actor);
    setCell(m_table, row, 2, r.action);
    setCell(m_table, row, 3, r.subject);
    setCell(m_table, row, 4, r.outcome);
    m_table->item(row, 0)->setData(Qt::UserRole, QVariant::fromValue<qulonglong>(r.sequence));
    if (hadRecord && r.sequence == keep)
      reselect = row;
    ++row;
  }
  if (!m_shown.empty())
    m_table->selectRow(reselect);
  showSelected();
}

QString AuditPage::statusText() const { return m_status->text(); }
QString AuditPage::detailText() const { return m_detail->toPlainText(); }
QString AuditPage::verifyText() const { return m_verified->text(); }

void AuditPage::showSelected() {
  const auto rows = m_table->selectionModel()->selectedRows();
  const int row = rows.isEmpty() ? -1 : rows.first().row();
  m_detail->setPlainText(row >= 0 && row < static_cast<int>(m_shown.size())
                             ? auditRecordText(m_shown[static_cast<std::size_t>(row)])
                             : QString());
}

} // namespace nesa::ui
