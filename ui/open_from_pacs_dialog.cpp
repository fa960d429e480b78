#include "ui/open_from_pacs_dialog.h"

#include "ui/read_only_table.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::ui {

OpenFromPacsDialog::OpenFromPacsDialog(PacsBackend &backend, QWidget *parent)
    : QDialog(parent), m_backend(backend), m_cancelled(std::make_shared<std::atomic<bool>>(false)) {
  setWindowTitle(tr("Open from PACS"));
  const QString pacs = m_backend.pacsName();
  auto *where =
      new QLabel(pacs.isEmpty() ? tr("No PACS is set. Set one in Settings (PACS), or with "
                                     "'nesa config set pacsNode AET@HOST:PORT'.")
                                : tr("PACS: %1. Patient details travel only between this "
                                     "computer and the PACS.")
                                      .arg(pacs));
  where->setWordWrap(true);

  m_patientName = new QLineEdit;
  m_patientName->setPlaceholderText(tr("Doe^Jane or Doe*"));
  m_patientId = new QLineEdit;
  m_studyDate = new QLineEdit;
  m_studyDate->setPlaceholderText(tr("20260101 or 20260101-20261231"));
  m_search = new QPushButton(tr("Search"));
  m_search->setDefault(true);
  auto *form = new QFormLayout;
  form->addRow(tr("Patient name"), m_patientName);
  form->addRow(tr("Patient ID"), m_patientId);
  form->addRow(tr("Study date"), m_studyDate);

  m_studies = makeReadOnlyTable(
      {tr("Date"), tr("Patient"), tr("Patient ID"), tr("Modalities"), tr("Description")});
  m_series = makeReadOnlyTable({tr("Series"), tr("Modality"), tr("Images"), tr("Description")});
  m_progress = new QProgressBar;
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_status = new QLabel;
  m_status->setWordWrap(true);
  m_retrieve = new QPushButton(tr("Retrieve and open"));
  m_retrieve->setEnabled(false);
  m_cancel = new QPushButton(tr("Cancel"));

  auto *searchRow = new QHBoxLayout;
  searchRow->addLayout(form, 1);
  searchRow->addWidget(m_search, 0, Qt::AlignBottom);
  auto *buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(m_retrieve);
  buttons->addWidget(m_cancel);
  auto *layout = new QVBoxLayout(this);
  layout->addWidget(where);
  layout->addLayout(searchRow);
  layout->addWidget(new QLabel(tr("Studies")));
  layout->addWidget(m_studies, 2);
  layout->addWidget(new QLabel(tr("Series of the selected study")));
  layout->addWidget(m_series, 1);
  layout->addWidget(m_progress);
  layout->addWidget(m_status);
  layout->addLayout(buttons);
  resize(760, 560);

  m_finding = new QFutureWatcher<PacsAnswer<std::vector<PacsStudy>>>(this);
  m_listing = new QFutureWatcher<PacsAnswer<std::vector<PacsSeries>>>(this);
  m_retrieving = new QFutureWatcher<PacsAnswer<QString>>(this);
  m_search->setEnabled(!pacs.isEmpty());
  connect(m_search, &QPushButton::clicked, this, [this] { search(); });
  connect(m_studies, &QTableWidget::itemSelectionChanged, this,
          [this] { showSeriesOfSelectedStudy(); });
  connect(m_series, &QTableWidget::itemSelectionChanged, this, [this] {
    m_retrieve->setEnabled(!m_retrieving->isRunning() &&
                           !m_series->selectionModel()->selectedRows().isEmpty());
  });
  connect(m_retrieve, &QPushButton::clicked, this, [this] { retrieve(); });
  connect(m_cancel, &QPushButton::clicked, this, [this] {
    if (m_retrieving->isRunning()) {
      m_cancelled->store(true);
      setStatus(tr("Cancelling…"));
    } else {
      reject();
    }
  });

  connect(m_finding, &QFutureWatcher<PacsAnswer<std::vector<PacsStudy>>>::finished, this, [this] {
    const auto answer = m_finding->result();
    setBusy(false);
    m_studies->setRowCount(0);
    m_series->setRowCount(0);
    m_foundStudies = answer.value;
    if (!answer.ok()) {
      setStatus(answer.error, true);
    } else {
      for (const auto &study : m_foundStudies) {
        const int row = m_studies->rowCount();
        m_studies->insertRow(row);
        setCell(m_studies, row, 0, study.date);
        setCell(m_studies, row, 1, study.patientName);
        setCell(m_studies, row, 2, study.patientId);
        setCell(m_studies, row, 3, study.modalities);
        setCell(m_studies, row, 4, study.description);
      }
      setStatus(tr("%n studies found.", nullptr, static_cast<int>(m_foundStudies.size())));
    }
    Q_EMIT studiesShown();
  });
  connect(m_listing, &QFutureWatcher<PacsAnswer<std::vector<PacsSeries>>>::finished, this, [this] {
    const auto answer = m_listing->result();
    if (m_listingStudy != selectedStudy()) { // the selection moved on meanwhile
      showSeriesOfSelectedStudy();
      return;
    }
    m_listedStudy = m_listingStudy;
    m_series->setRowCount(0);
    m_foundSeries = answer.value;
    if (!answer.ok())
      setStatus(answer.error, true);
    for (const auto &series : m_foundSeries) {
      const int row = m_series->rowCount();
      m_series->insertRow(row);
      setCell(m_series, row, 0, series.number, true);
      setCell(m_series, row, 1, series.modality);
      setCell(m_series, row, 2,
              series.instances < 0 ? QStringLiteral("?") : QString::number(series.instances), true);
      setCell(m_series, row, 3, series.description);
    }
    Q_EMIT seriesShown();
  });
  connect(m_retrieving, &QFutureWatcher<PacsAnswer<QString>>::finished, this, [this] {
    const auto answer = m_retrieving->result();
    setBusy(false);
    if (answer.ok()) {
      m_folder = answer.value;
      Q_EMIT retrievalEnded();
      accept();
      return;
    }
    setStatus(answer.error, true);
    m_progress->setValue(0);
    Q_EMIT retrievalEnded();
  });
  if (pacs.isEmpty())
    setStatus(tr("Set a PACS first."), true);
}

OpenFromPacsDialog::~OpenFromPacsDialog() {
  // A transfer still running is cancelled and awaited (its progress points into this dialog; it
  // ends within seconds of the cancel). A search or listing is left to finish on its own: it
  // holds only the backend and its copies.
  m_cancelled->store(true);
  m_retrieving->waitForFinished();
}

QString OpenFromPacsDialog::statusText() const { return m_status->text(); }

void OpenFromPacsDialog::setStatus(const QString &text, bool error) {
  m_status->setText(text);
  m_status->setStyleSheet(error ? QStringLiteral("color: #b00020") : QString());
}

void OpenFromPacsDialog::setBusy(bool busy) {
  m_search->setEnabled(!busy && !m_backend.pacsName().isEmpty());
  m_retrieve->setEnabled(!busy && !m_series->selectionModel()->selectedRows().isEmpty());
  m_studies->setEnabled(!busy);
  m_series->setEnabled(!busy);
}

void OpenFromPacsDialog::search() {
  if (m_finding->isRunning() || m_retrieving->isRunning())
    return;
  setBusy(true);
  setStatus(tr("Searching…"));
  const PacsQuery query{m_patientName->text().trimmed(), m_patientId->text().trimmed(),
                        m_studyDate->text().trimmed()};
  m_finding->setFuture(
      QtConcurrent::run([&backend = m_backend, query] { return backend.findStudies(query); }));
}

QString OpenFromPacsDialog::selectedStudy() const {
  const auto rows = m_studies->selectionModel()->selectedRows();
  if (rows.isEmpty())
    return {};
  const auto row = static_cast<std::size_t>(rows.front().row());
  return row < m_foundStudies.size() ? m_foundStudies[row].uid : QString();
}

void OpenFromPacsDialog::showSeriesOfSelectedStudy() {
  m_series->setRowCount(0);
  m_foundSeries.clear();
  m_listedStudy.clear();
  m_retrieve->setEnabled(false);
  const QString study = selectedStudy();
  if (study.isEmpty() || m_listing->isRunning()) // a running listing re-asks when it ends
    return;
  m_listingStudy = study;
  m_listing->setFuture(
      QtConcurrent::run([&backend = m_backend, study] { return backend.findSeries(study); }));
}

void OpenFromPacsDialog::retrieve() {
  const auto seriesRows = m_series->selectionModel()->selectedRows();
  if (m_listedStudy.isEmpty() || seriesRows.isEmpty() || m_retrieving->isRunning())
    return;
  const auto seriesRow = static_cast<std::size_t>(seriesRows.front().row());
  if (seriesRow >= m_foundSeries.size())
    return;
  const QString study = m_listedStudy; // the study these series were listed for
  const PacsSeries series = m_foundSeries[seriesRow];
  m_cancelled->store(false);
  setBusy(true);
  m_progress->setRange(0, series.instances > 0 ? series.instances : 0);
  m_progress->setValue(0);
  setStatus(tr("Retrieving series %1…").arg(series.number));
  QPointer<OpenFromPacsDialog> self(this);
  auto progress = [self](int received, int remaining) {
    QMetaObject::invokeMethod(
        self.data(),
        [self, received, remaining] {
          if (!self)
            return;
          self->m_progress->setRange(0, received + remaining);
          self->m_progress->setValue(received);
          self->setStatus(tr("Received %1 of %2 images.").arg(received).arg(received + remaining));
        },
        Qt::QueuedConnection);
  };
  m_retrieving->setFuture(QtConcurrent::run(
      [&backend = m_backend, study, uid = series.uid, progress, cancelled = m_cancelled] {
        return backend.retrieve(study, uid, progress, *cancelled);
      }));
}

} // namespace nesa::ui
