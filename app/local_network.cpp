#include "local_network.h"

#include "sibling_command.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QProcess>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::app {

LocalNetwork::LocalNetwork(int miners, QString configFile, QString logFile, QObject *parent)
    : QObject(parent), m_miners(miners), m_configFile(std::move(configFile)),
      m_logFile(std::move(logFile)) {}

LocalNetwork::~LocalNetwork() {
  if (!ownsNode())
    return;
  m_node->terminate(); // SIGTERM: the node stops its miners and removes its node.json
  if (!m_node->waitForFinished(15000))
    m_node->kill();
}

bool LocalNetwork::ownsNode() const { return m_node && m_node->state() != QProcess::NotRunning; }

void LocalNetwork::ensureRunning() {
  auto *check = new QFutureWatcher<bool>(this);
  connect(check, &QFutureWatcher<bool>::finished, this, [this, check] {
    check->deleteLater();
    if (check->result())
      Q_EMIT stateChanged(tr("Local network: using the node already running on this computer."));
    else
      start();
  });
  check->setFuture(QtConcurrent::run([] {
    return runSibling(QStringLiteral("nesa"), {QStringLiteral("node"), QStringLiteral("status")},
                      {}, {}, 10000)
               .code == 0;
  }));
}

void LocalNetwork::start() {
  m_node = new QProcess(this);
  m_node->setStandardErrorFile(m_logFile, QIODevice::Append); // the node logs on stderr
  connect(m_node, &QProcess::readyReadStandardOutput, this, [this] {
    while (m_node->canReadLine())
      if (m_node->readLine().startsWith("node ready"))
        Q_EMIT stateChanged(
            tr("Local network ready: a node and %n miner(s) on this computer.", "", m_miners));
  });
  connect(m_node, &QProcess::finished, this, [this](int code) {
    Q_EMIT stateChanged(
        tr("The local network stopped (exit code %1); its log is %2.").arg(code).arg(m_logFile));
  });
  Q_EMIT stateChanged(tr("Starting the local network…"));
  m_node->start(QCoreApplication::applicationDirPath() + QStringLiteral("/nesa-node"),
                {QStringLiteral("--devnet"), QStringLiteral("--miners"), QString::number(m_miners),
                 // any free port: the other programs find it through DATA/node.json
                 QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--config"),
                 m_configFile});
}

} // namespace nesa::app
