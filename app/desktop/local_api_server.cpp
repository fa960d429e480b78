#include "local_api_server.h"

#include "sibling_command.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace nesa::app {

LocalApiServer::LocalApiServer(QString configFile, QString walletFile, QString logFile,
                               QObject *parent)
    : QObject(parent), m_configFile(std::move(configFile)), m_walletFile(std::move(walletFile)),
      m_logFile(std::move(logFile)) {}

LocalApiServer::~LocalApiServer() {
  m_passphrase.fill(QLatin1Char('\0'));
  stop();
}

void LocalApiServer::configure(bool enabled, int port) {
  m_enabled = enabled;
  m_port = port;
  apply();
}

void LocalApiServer::walletUnlocked(const QString &passphrase) {
  m_passphrase.fill(QLatin1Char('\0'));
  m_passphrase = passphrase;
  apply();
}

void LocalApiServer::walletLocked() {
  m_passphrase.fill(QLatin1Char('\0'));
  m_passphrase.clear();
  apply();
}

bool LocalApiServer::needsPassphrase() const { return QFile::exists(m_walletFile); }

void LocalApiServer::stop() {
  if (!m_server)
    return;
  QProcess *server = std::exchange(m_server, nullptr);
  server->disconnect(this);
  if (server->state() != QProcess::NotRunning) {
    server->terminate(); // SIGTERM: the running query is cancelled, the port freed
    if (!server->waitForFinished(30000))
      server->kill();
  }
  server->deleteLater();
  m_url.clear();
  m_servingPort = -1;
}

void LocalApiServer::apply() {
  const bool locked = needsPassphrase() && m_passphrase.isEmpty();
  const bool wanted = m_enabled && !locked;
  if (m_server && (!wanted || m_servingPort != m_port)) {
    stop();
    Q_EMIT stateChanged(m_enabled && locked ? tr("Local API: stopped until the wallet is unlocked.")
                                            : tr("Local API: stopped."));
  }
  if (!wanted) {
    if (m_enabled && locked)
      Q_EMIT stateChanged(tr("Local API: waits for the wallet to be unlocked."));
    return;
  }
  if (m_server)
    return; // already serving on this port
  m_server = new QProcess(this);
  m_servingPort = m_port;
  m_printed.clear();
  m_server->setStandardErrorFile(m_logFile, QIODevice::Append); // it logs on stderr
  const bool handing = needsPassphrase();
  if (handing)
    handPassphraseTo(*m_server);
  connect(m_server, &QProcess::readyReadStandardOutput, this, [this] {
    m_printed += m_server->readAllStandardOutput();
    const auto line = QJsonDocument::fromJson(m_printed.left(m_printed.indexOf('\n'))).object();
    if (line[u"event"] == QStringLiteral("listening") && m_url.isEmpty()) {
      m_url = line[u"url"].toString();
      Q_EMIT stateChanged(
          tr("Local API on %1 (token in %2).").arg(m_url, line[u"token_file"].toString()));
    } else if (line[u"event"] == QStringLiteral("error")) {
      Q_EMIT stateChanged(tr("Local API: %1").arg(line[u"message"].toString()));
    }
  });
  connect(m_server, &QProcess::finished, this, [this](int code) {
    // It ended by itself (a taken port, a wrong passphrase): the next apply() starts anew.
    std::exchange(m_server, nullptr)->deleteLater();
    m_servingPort = -1;
    m_url.clear();
    Q_EMIT stateChanged(
        tr("The local API stopped (exit code %1); its log is %2.").arg(code).arg(m_logFile));
  });
  connect(m_server, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart)
      return; // the others end in finished()
    std::exchange(m_server, nullptr)->deleteLater();
    m_servingPort = -1;
    Q_EMIT stateChanged(tr("Local API: nesa-analyze could not be started."));
  });
  m_server->start(QCoreApplication::applicationDirPath() + QStringLiteral("/nesa-analyze"),
                  {QStringLiteral("--serve"), QStringLiteral("--json"), QStringLiteral("--port"),
                   QString::number(m_port), QStringLiteral("--config"), m_configFile});
  if (!m_server)
    return; // it could not be started
  if (handing)
    writePassphrase(*m_server, m_passphrase);
  m_server->closeWriteChannel(); // once the passphrase is written: it reads nothing else
}

} // namespace nesa::app
