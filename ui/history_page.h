// The history page: past analyses with their reports and receipts, searchable and deletable.
// They live only in the encrypted history store, which the wallet's passphrase opens: while the
// wallet is locked the page shows nothing, and analyses that finish meanwhile wait in memory
// until it is unlocked. Every store call runs off the GUI thread, one at a time.
#pragma once

#include "ui/history_backend.h"

#include <QFutureWatcher>
#include <QWidget>

#include <deque>
#include <functional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace nesa::ui {

/// The history page. `backend` must outlive it.
class HistoryPage : public QWidget {
  Q_OBJECT
public:
  explicit HistoryPage(HistoryBackend &backend, QWidget *parent = nullptr);
  ~HistoryPage() override;

  /// Opens the history with the wallet's passphrase, saves what waited, and lists it.
  void openWith(const QString &passphrase);
  /// Closes the history (the wallet was locked): the page empties.
  void lock();
  /// Keeps a finished analysis (now, or once the history is open).
  void record(const AnalysisRecord &record);
  /// Deletes one record for good, without asking (the Delete button asks first).
  void deleteRecord(std::int64_t id);
  /// Lists the records matching `text` (as typing in the search field does).
  void search(const QString &text);

  /// The records listed, newest first.
  const std::vector<AnalysisRecord> &records() const { return m_records; }
  /// True once the history opened (and until it is locked).
  bool isOpen() const { return m_open; }
  /// Analyses waiting for the history to open.
  int pendingCount() const { return static_cast<int>(m_pending.size()); }
  const std::vector<AnalysisRecord> &pendingRecords() const { return m_pending; }
  /// The sentence above the list: locked, waiting, how many, or an error.
  QString statusText() const;
  /// The report of the selected record.
  QString detailText() const;
  QTableWidget *table() const { return m_table; }

Q_SIGNALS:
  /// Emitted after each store call finished and the list was shown.
  void updated();

private:
  /// What one store call gave: an error, and the list as it is afterwards.
  struct Outcome {
    QString error;
    bool open = false;
    std::vector<AnalysisRecord> records;
  };
  using Task = std::function<QString(HistoryBackend &)>;

  void enqueue(Task task);
  void runNext();
  void show(const Outcome &outcome);
  void showSelected();
  void askToDelete();

  HistoryBackend &m_backend;
  std::deque<Task> m_queue;
  std::vector<AnalysisRecord> m_pending;
  std::vector<AnalysisRecord> m_records;
  bool m_open = false;
  bool m_busy = false; ///< a call runs or its outcome is not shown yet
  QFutureWatcher<Outcome> *m_working = nullptr;
  QLabel *m_status = nullptr;
  QLineEdit *m_search = nullptr;
  QTableWidget *m_table = nullptr;
  QPlainTextEdit *m_detail = nullptr;
  QPushButton *m_delete = nullptr;
};

/// The report of `record` as text: what was analysed, how, the result and the receipt.
QString historyReport(const AnalysisRecord &record);

} // namespace nesa::ui
