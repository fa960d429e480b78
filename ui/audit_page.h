// The audit page, for administrators: the records of this computer's audit trail, filtered by
// action, person, time and text, with each record's details and a check of the whole log
// (nesa audit verify). The log is encrypted with the wallet's passphrase, so the page shows
// nothing while the wallet is locked; the organisation's policy decides who may read it, and the
// backend checks that again whenever it opens, lists or verifies the log. Every backend call runs
// off the GUI thread, one at a time.
#pragma once

#include "ui/audit_backend.h"

#include <QFutureWatcher>
#include <QWidget>

#include <deque>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace nesa::ui {

/// The audit page. `backend` must outlive it.
class AuditPage : public QWidget {
  Q_OBJECT
public:
  explicit AuditPage(AuditBackend &backend, QWidget *parent = nullptr);
  ~AuditPage() override;

  /// Opens the log with the wallet's passphrase and lists it.
  void openWith(const QString &passphrase);
  /// Closes the log (the wallet was locked): the page empties.
  void lock();
  /// Reads the records again with the filters shown.
  void refresh();
  /// Re-hashes the log and checks its checkpoints (the Verify button).
  void verifyLog();

  /// The records shown (those the filters and the search select), newest first.
  const std::vector<AuditRecord> &records() const { return m_shown; }
  bool isOpen() const { return m_open; }
  /// The sentence above the list: refused, locked, how many, or an error.
  QString statusText() const;
  /// The selected record in full.
  QString detailText() const;
  /// What the last check found ("" before the first).
  QString verifyText() const;
  QTableWidget *table() const { return m_table; }
  QComboBox *actionFilter() const { return m_action; }
  QLineEdit *actorFilter() const { return m_actor; }
  QComboBox *sinceFilter() const { return m_since; }
  QLineEdit *searchField() const { return m_search; }

Q_SIGNALS:
  /// Emitted after each backend call finished and its outcome was shown.
  void updated();

private:
  enum class Call { Open, Close, List, Verify };
  struct Request {
    Call call = Call::List;
    QString passphrase;
  };
  struct Outcome {
    QString error;
    QString refusal; ///< the policy's, asked in the same call
    bool open = false;
    std::optional<std::vector<AuditRecord>> records; ///< none: the list did not change
    std::optional<AuditCheck> check;
  };

  void enqueue(Request request);
  void runNext();
  void show(const Outcome &outcome);
  void showFiltered();
  void showSelected();
  AuditQuery query() const;

  AuditBackend &m_backend;
  std::deque<Request> m_queue;
  std::vector<AuditRecord> m_records; ///< as the backend gave them, oldest first
  std::vector<AuditRecord> m_shown;
  bool m_open = false;
  bool m_busy = false; ///< a call runs or its outcome is not shown yet
  QString m_error;
  QString m_refusal;
  QFutureWatcher<Outcome> *m_working = nullptr;
  QLabel *m_status = nullptr;
  QComboBox *m_action = nullptr;
  QLineEdit *m_actor = nullptr;
  QComboBox *m_since = nullptr;
  QLineEdit *m_search = nullptr;
  QPushButton *m_refresh = nullptr;
  QPushButton *m_verify = nullptr;
  QLabel *m_verified = nullptr;
  QTableWidget *m_table = nullptr;
  QPlainTextEdit *m_detail = nullptr;
};

/// `record` in full, for people: every field and its details as indented JSON.
QString auditRecordText(const AuditRecord &record);

} // namespace nesa::ui
