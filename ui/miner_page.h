// The miner page: turn this computer's miner on or off, with how many threads, on the
// processor or a GPU, and whether only while the computer is idle; what it has served and
// earned, its stake and reputation, a chart of the earnings while the page watches, recent
// events, and a plain sentence on why nothing is earned when nothing is. The miner is its own
// process: it keeps running when the window closes if the user chose so.
#pragma once

#include "ui/miner_backend.h"
#include "util/config.h"

#include <QFutureWatcher>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineSeries;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTimer;

namespace nesa::ui {

/// The miner page. `backend` must outlive it.
class MinerPage : public QWidget {
  Q_OBJECT
public:
  explicit MinerPage(MinerBackend &backend, QWidget *parent = nullptr);
  ~MinerPage() override;

  QPushButton *toggleButton() const { return m_toggle; }
  bool isRunning() const { return m_status.running; }
  QString stateText() const;
  QString explanationText() const;
  QString statsText() const;
  /// The recent events, newest first.
  QStringList events() const;
  /// Points on the earnings chart.
  int chartPoints() const;
  /// Reads the status again (off the GUI thread).
  void refresh();
  /// The choices offered when the miner is next turned on (threads, backend, only when idle)
  /// and whether it keeps running when the window closes, from the settings.
  void setPreferences(const Config &config);
  /// `config` with the page's current miner choices written into it.
  Config preferences(Config config) const;
  /// True when the user wants the miner to keep serving after the window closes.
  bool keepsRunning() const;
  /// Stops the miner and waits for it (the window closes and the user did not want it kept).
  void stopAndWait();
  /// The line with the miner's stake and reputation, or why they are unknown.
  QString ledgerText() const;

Q_SIGNALS:
  /// Emitted after a status was read (and after a start or stop finished).
  void updated();
  /// Emitted when the user changed a choice that the settings keep.
  void preferencesChanged();

private:
  void showStatus(const MinerStatus &status);
  void toggle();
  void addEvent(const QString &text);

  MinerBackend &m_backend;
  MinerStatus m_status;
  bool m_seen = false;
  QFutureWatcher<MinerStatus> *m_reading = nullptr;
  QFutureWatcher<QString> *m_switching = nullptr;
  QTimer *m_poll = nullptr;
  QPushButton *m_toggle = nullptr;
  QSpinBox *m_threads = nullptr;
  QComboBox *m_backendChoice = nullptr;
  QSpinBox *m_maxJobs = nullptr;
  QCheckBox *m_onlyWhenIdle = nullptr;
  QCheckBox *m_keepRunning = nullptr;
  QLabel *m_ledger = nullptr;
  QFutureWatcher<QStringList> *m_findingGpus = nullptr;
  QLabel *m_state = nullptr;
  QLabel *m_explanation = nullptr;
  QLabel *m_stats = nullptr;
  QListWidget *m_events = nullptr;
  QLineSeries *m_earnings = nullptr;
  qint64 m_startedAt = 0;
};

} // namespace nesa::ui
