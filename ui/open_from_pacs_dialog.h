// "Open from PACS…": search the hospital's PACS by patient and date, pick a study and one of its
// series, and retrieve it (with progress and Cancel) into a folder the analyze page then opens.
// Every PACS call runs off the GUI thread.
#pragma once

#include "ui/pacs_backend.h"

#include <QDialog>
#include <QFutureWatcher>

#include <memory>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace nesa::ui {

/// The dialog; `backend` must outlive it. accept()ed when a series was retrieved.
class OpenFromPacsDialog : public QDialog {
  Q_OBJECT
public:
  explicit OpenFromPacsDialog(PacsBackend &backend, QWidget *parent = nullptr);
  ~OpenFromPacsDialog() override;

  /// The folder the series was retrieved into (after accept()).
  QString folder() const { return m_folder; }

  QLineEdit *patientNameField() const { return m_patientName; }
  QLineEdit *patientIdField() const { return m_patientId; }
  QLineEdit *studyDateField() const { return m_studyDate; }
  QPushButton *searchButton() const { return m_search; }
  QTableWidget *studiesTable() const { return m_studies; }
  QTableWidget *seriesTable() const { return m_series; }
  QPushButton *retrieveButton() const { return m_retrieve; }
  QPushButton *cancelButton() const { return m_cancel; }
  /// What the dialog says now: the number of studies found, the transfer's progress or an error.
  QString statusText() const;

Q_SIGNALS:
  void studiesShown();
  void seriesShown();
  /// A retrieval ended, well (the dialog is then accepted) or not.
  void retrievalEnded();

private:
  void search();
  /// The UID of the study selected in the table ("" when none).
  QString selectedStudy() const;
  void showSeriesOfSelectedStudy();
  void retrieve();
  void setStatus(const QString &text, bool error = false);
  void setBusy(bool busy);

  PacsBackend &m_backend;
  QLineEdit *m_patientName = nullptr;
  QLineEdit *m_patientId = nullptr;
  QLineEdit *m_studyDate = nullptr;
  QPushButton *m_search = nullptr;
  QTableWidget *m_studies = nullptr;
  QTableWidget *m_series = nullptr;
  QProgressBar *m_progress = nullptr;
  QLabel *m_status = nullptr;
  QPushButton *m_retrieve = nullptr;
  QPushButton *m_cancel = nullptr;
  QFutureWatcher<PacsAnswer<std::vector<PacsStudy>>> *m_finding = nullptr;
  QFutureWatcher<PacsAnswer<std::vector<PacsSeries>>> *m_listing = nullptr;
  QFutureWatcher<PacsAnswer<QString>> *m_retrieving = nullptr;
  std::vector<PacsStudy> m_foundStudies;
  std::vector<PacsSeries> m_foundSeries;
  QString m_listingStudy; ///< the study whose series are being asked for
  QString m_listedStudy;  ///< the study the series table shows ("" while none)
  /// Shared with the worker: set by Cancel, read between instances.
  std::shared_ptr<std::atomic<bool>> m_cancelled;
  QString m_folder;
};

} // namespace nesa::ui
