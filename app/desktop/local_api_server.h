// The local API served by the desktop app (Settings → "Local API"): `nesa-analyze --serve` kept
// running while the setting is on, on its port. With a wallet it runs only while the wallet is
// unlocked (its queries are keyed and paid from it, and a locked wallet stays locked), and the
// passphrase reaches it through its standard input, never its environment.
#pragma once

#include <QObject>
#include <QString>

class QProcess;

namespace nesa::app {

/// Starts, restarts and stops the app's API server as the settings and the wallet change.
class LocalApiServer : public QObject {
  Q_OBJECT
public:
  /// `configFile`: the settings it reads; `walletFile`: whose presence means it needs the
  /// passphrase; `logFile`: where its log goes.
  LocalApiServer(QString configFile, QString walletFile, QString logFile,
                 QObject *parent = nullptr);
  /// Stops the server (a running query is cancelled).
  ~LocalApiServer() override;

  /// Serve on `port` (0: any free one, for tests) when `enabled`, else stop.
  void configure(bool enabled, int port);
  /// The wallet was unlocked with `passphrase` (kept while it stays unlocked).
  void walletUnlocked(const QString &passphrase);
  /// The wallet locked: a server that needs it stops.
  void walletLocked();

  /// Where it serves ("http://127.0.0.1:PORT"), empty while it does not.
  QString url() const { return m_url; }

Q_SIGNALS:
  /// Says what happens, for the status bar ("Local API on …", "… waits for the wallet").
  void stateChanged(const QString &text);

private:
  void apply();
  void stop();
  bool needsPassphrase() const;

  QString m_configFile, m_walletFile, m_logFile;
  bool m_enabled = false;
  int m_port = 0;
  QString m_passphrase;
  QProcess *m_server = nullptr;
  int m_servingPort = -1; ///< the port m_server was started with
  QByteArray m_printed;
  QString m_url;
};

} // namespace nesa::app
