#include "ui/history_page.h"

#include "ui/privacy_levels.h"
#include "ui/read_only_table.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {
QString historyReport(const AnalysisRecord &r) {
  QString text =
      HistoryPage::tr("File: %1").arg(r.input) + QLatin1Char('\n') +
      HistoryPage::tr("Model: %1").arg(r.model) + QLatin1Char('\n') +
      HistoryPage::tr("Privacy: %1").arg(privacyLevelTitle(r.level)) + QLatin1Char('\n') +
      HistoryPage::tr("Finished: %1").arg(r.finishedAt.toLocalTime().toString(Qt::ISODate)) +
      QStringLiteral("\n\n");
  text += r.ok ? r.summary : HistoryPage::tr("Failed: %1").arg(r.summary);
  if (!r.receipt.isEmpty())
    text += QStringLiteral("\n\n") + r.receipt;
  if (!r.miners.isEmpty())
    text +=
        QLatin1Char('\n') + HistoryPage::tr("Miners: %1").arg(r.miners.join(QStringLiteral(", ")));
  return text;
}

HistoryPage::HistoryPage(HistoryBackend &backend, QWidget *parent)
    : QWidget(parent), m_backend(backend) {
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_search = new QLineEdit;
  m_search->setPlaceholderText(tr("Search files, models, results…"));
  m_search->setClearButtonEnabled(true);
  m_delete = new QPushButton(tr("Delete…"));
  m_delete->setEnabled(false);
  m_table =
      makeReadOnlyTable({tr("Finished"), tr("File"), tr("Model"), tr("Privacy"), tr("Result")});
  m_detail = new QPlainTextEdit;
  m_detail->setReadOnly(true);

  auto *top = new QHBoxLayout;
  top->addWidget(m_search, 1);
  top->addWidget(m_delete);
  auto *split = new QSplitter(Qt::Vertical);
  split->addWidget(m_table);
  split->addWidget(m_detail);
  auto *layout = new QVBoxLayout(this);
  layout->addWidget(m_status);
  layout->addLayout(top);
  layout->addWidget(split, 1);

  m_working = new QFutureWatcher<Outcome>(this);
  connect(m_working, &QFutureWatcher<Outcome>::finished, this, [this] {
    m_busy = false;
    show(m_working->result());
    runNext();
  });
  connect(m_search, &QLineEdit::textChanged, this, &HistoryPage::search);
  connect(m_table, &QTableWidget::itemSelectionChanged, this, &HistoryPage::showSelected);
  connect(m_delete, &QPushButton::clicked, this, &HistoryPage::askToDelete);
  show({});
}

HistoryPage::~HistoryPage() { m_working->waitForFinished(); }

void HistoryPage::openWith(const QString &passphrase) {
  enqueue([passphrase](HistoryBackend &backend) { return backend.open(passphrase); });
}

void HistoryPage::lock() {
  enqueue([](HistoryBackend &backend) {
    backend.close();
    return QString();
  });
}

void HistoryPage::record(const AnalysisRecord &record) {
  m_pending.push_back(record);
  enqueue([](HistoryBackend &) { return QString(); }); // saves what waits, if open
}

void HistoryPage::deleteRecord(std::int64_t id) {
  enqueue([id](HistoryBackend &backend) { return backend.remove(id); });
}

void HistoryPage::search(const QString &text) {
  if (m_search->text() != text)
    m_search->setText(text); // comes back here through textChanged
  else
    enqueue([](HistoryBackend &) { return QString(); });
}

void HistoryPage::enqueue(Task task) {
  m_queue.push_back(std::move(task));
  runNext();
}

void HistoryPage::runNext() {
  // Not isRunning(): it turns false before `finished` is delivered, and a new future set in
  // between would drop that outcome.
  if (m_queue.empty() || m_busy)
    return;
  m_busy = true;
  Task task = std::move(m_queue.front());
  m_queue.pop_front();
  // What waited for the history to open goes with this call, and comes back if it fails.
  std::vector<AnalysisRecord> waiting = std::move(m_pending);
  m_pending.clear();
  HistoryBackend *backend = &m_backend;
  m_working->setFuture(QtConcurrent::run(
      [backend, task = std::move(task), waiting = std::move(waiting), search = m_search->text()] {
        Outcome outcome;
        outcome.error = task(*backend);
        outcome.open = backend->isOpen();
        std::vector<AnalysisRecord> unsaved;
        for (const auto &r : waiting) {
          const QString error = outcome.open ? backend->add(r) : QString(QStringLiteral("locked"));
          if (!error.isEmpty()) {
            unsaved.push_back(r);
            if (outcome.open && outcome.error.isEmpty())
              outcome.error = error;
          }
        }
        outcome.records = backend->list(search);
        // The records that could not be saved ride back in front of the list, marked id 0.
        outcome.records.insert(outcome.records.begin(), unsaved.begin(), unsaved.end());
        return outcome;
      }));
}

void HistoryPage::show(const Outcome &outcome) {
  m_open = outcome.open;
  m_records.clear();
  for (const auto &r : outcome.records)
    (r.id == 0 ? m_pending : m_records).push_back(r);
  QString status;
  if (!outcome.error.isEmpty())
    status = tr("The history could not be used: %1").arg(outcome.error);
  else if (!m_open)
    status = tr("The history is kept encrypted with your wallet's passphrase: unlock the wallet "
                "to see it.");
  else
    status = tr("%n analysis record(s) in the history, kept only in its encrypted store.", "",
                static_cast<int>(m_records.size()));
  if (!m_pending.empty())
    status += QLatin1Char(' ') +
              tr("%n analysis record(s) will be saved when the history opens.", "", pendingCount());
  m_status->setText(status);

  m_table->setRowCount(static_cast<int>(m_records.size()));
  int row = 0;
  for (const auto &r : m_records) {
    setCell(m_table, row, 0,
            r.finishedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    setCell(m_table, row, 1, QFileInfo(r.input).fileName());
    setCell(m_table, row, 2, r.model);
    setCell(m_table, row, 3, r.level);
    setCell(m_table, row, 4,
            r.ok ? r.summary.section(QLatin1Char('\n'), 0, 0) : tr("failed: %1").arg(r.summary));
    ++row;
  }
  m_search->setEnabled(m_open);
  if (!m_records.empty() && m_table->selectionModel()->selectedRows().isEmpty())
    m_table->selectRow(0); // the newest report is shown at once
  showSelected();
  Q_EMIT updated();
}

QString HistoryPage::statusText() const { return m_status->text(); }
QString HistoryPage::detailText() const { return m_detail->toPlainText(); }

void HistoryPage::showSelected() {
  const auto rows = m_table->selectionModel()->selectedRows();
  const int row = rows.isEmpty() ? -1 : rows.first().row();
  const bool valid = row >= 0 && row < static_cast<int>(m_records.size());
  m_delete->setEnabled(valid);
  m_detail->setPlainText(valid ? historyReport(m_records[static_cast<std::size_t>(row)])
                               : QString());
}

void HistoryPage::askToDelete() {
  const auto rows = m_table->selectionModel()->selectedRows();
  if (rows.isEmpty() || rows.first().row() >= static_cast<int>(m_records.size()))
    return;
  const AnalysisRecord &r = m_records[static_cast<std::size_t>(rows.first().row())];
  if (QMessageBox::question(this, tr("Delete analysis"),
                            tr("Delete the analysis of %1 from the history for good?")
                                .arg(QFileInfo(r.input).fileName())) == QMessageBox::Yes)
    deleteRecord(r.id);
}

} // namespace nesa::ui
