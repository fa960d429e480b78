// The embedded local network: when the settings say "devnet" and no local EVM network is
// running, the desktop app starts one (`nesa chain devnet --miners N`: anvil with its state in
// the data folder, the Nesa contracts, and miner processes that stake and register on them) in
// the background and stops it when the app quits. A devnet that was already running (started by
// the user or another program) is used as it is and left running.
#pragma once

#include <QObject>
#include <QString>

class QProcess;

namespace nesa::app {

/// Starts and stops the app's own devnet.
class LocalNetwork : public QObject {
  Q_OBJECT
public:
  /// `miners`: how many miner processes a devnet started here gets; `configFile`: the settings
  /// it reads; `logFile`: where its log goes.
  LocalNetwork(int miners, QString configFile, QString logFile, QObject *parent = nullptr);
  /// Stops the devnet this object started (and its miners), waiting for them.
  ~LocalNetwork() override;

  /// Checks for a running local devnet off the GUI thread, and starts one when there is none.
  void ensureRunning();
  /// True while the devnet this object started runs.
  bool ownsNode() const;

Q_SIGNALS:
  /// Says what happens, for the status bar ("Starting the local network…", "… ready").
  void stateChanged(const QString &text);

private:
  void start();

  int m_miners;
  QString m_configFile;
  QString m_logFile;
  QProcess *m_node = nullptr;
  QByteArray m_printed; ///< what the devnet printed so far (its facts, as JSON, once ready)
};

} // namespace nesa::app
