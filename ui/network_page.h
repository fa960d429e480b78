// The network page: the EVM network this app uses (its chain node) and the miners its registry
// contract lists, with price, stake, reputation, latency and work done, read off the GUI thread
// and refreshed while visible.
#pragma once

#include "ui/network_backend.h"

#include <QFutureWatcher>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QTimer;

namespace nesa::ui {

/// The network page. `backend` must outlive it.
class NetworkPage : public QWidget {
  Q_OBJECT
public:
  explicit NetworkPage(NetworkBackend &backend, QWidget *parent = nullptr);
  ~NetworkPage() override;

  /// Reads the network's status again (off the GUI thread).
  void refresh();
  /// The line about the network ("Chain node http://127.0.0.1:8545 · 2 of 2 registered miners
  /// answering"), or the error.
  QString nodeText() const;
  /// The miners' table.
  QTableWidget *minerTable() const { return m_table; }

Q_SIGNALS:
  /// Emitted after a status was read.
  void updated();

protected:
  void showEvent(QShowEvent *event) override;

private:
  void showStatus(const NodeStatus &status);

  NetworkBackend &m_backend;
  QFutureWatcher<NodeStatus> *m_reading = nullptr;
  QTimer *m_poll = nullptr;
  QLabel *m_node = nullptr;
  QLabel *m_identity = nullptr;
  QPushButton *m_refresh = nullptr;
  QTableWidget *m_table = nullptr;
};

} // namespace nesa::ui
