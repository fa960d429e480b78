// The miner page: turn this computer's miner on or off, with how many threads; what it has
// served and earned, a chart of the earnings while the page watches, recent events, and a
// plain sentence on why nothing is earned when nothing is. The miner is its own process, so it
// keeps running when the window closes.
#pragma once

#include "ui/miner_backend.h"

#include <QFutureWatcher>
#include <QWidget>

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
  /// The thread count offered when the miner is next turned on (0 = every core).
  void setDefaultThreads(int threads);

Q_SIGNALS:
  /// Emitted after a status was read (and after a start or stop finished).
  void updated();

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
  QLabel *m_state = nullptr;
  QLabel *m_explanation = nullptr;
  QLabel *m_stats = nullptr;
  QListWidget *m_events = nullptr;
  QLineSeries *m_earnings = nullptr;
  qint64 m_startedAt = 0;
};

} // namespace nesa::ui
