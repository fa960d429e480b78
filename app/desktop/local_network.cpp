#include "local_network.h"

#include "sibling_command.h"

#include <QCoreApplication>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtConcurrent/QtConcurrentRun>

namespace nesa::app {

LocalNetwork::LocalNetwork(int miners, QString configFile, QString logFile, QObject *parent)
    : QObject(parent), m_miners(miners), m_configFile(std::move(configFile)),
      m_logFile(std::move(logFile)) {}

LocalNetwork::~LocalNetwork() {
  if (!ownsNode())
    return;
  m_node->terminate(); // SIGTERM: the miners settle and stop, then anvil saves its state
  if (!m_node->waitForFinished(60000))
    m_node->kill();
}

bool LocalNetwork::ownsNode() const { return m_node && m_node->state() != QProcess::NotRunning; }

void LocalNetwork::ensureRunning() {
  auto *check = new QFutureWatcher<bool>(this);
  connect(check, &QFutureWatcher<bool>::finished, this, [this, check] {
    check->deleteLater();
    if (check->result())
      Q_EMIT stateChanged(tr("Local network: using the devnet already running on this computer."));
    else
      start();
  });
  check->setFuture(QtConcurrent::run([] {
    return runSibling(QStringLiteral("nesa"), {QStringLiteral("chain"), QStringLiteral("status")},
                      {}, {}, 10000)
               .code == 0;
  }));
}

void LocalNetwork::start() {
  m_node = new QProcess(this);
  m_node->setStandardErrorFile(m_logFile, QIODevice::Append); // it logs on stderr
  connect(m_node, &QProcess::readyReadStandardOutput, this, [this] {
    // Once everything runs it prints its facts as one JSON object.
    m_printed += m_node->readAllStandardOutput();
    const QJsonObject facts = QJsonDocument::fromJson(m_printed).object();
    if (facts.contains(u"rpc"))
      Q_EMIT stateChanged(tr("Local network ready: an EVM devnet and %n miner(s) on this "
                             "computer.",
                             "", static_cast<int>(facts[u"miners"].toArray().size())));
  });
  connect(m_node, &QProcess::finished, this, [this](int code) {
    Q_EMIT stateChanged(
        tr("The local network stopped (exit code %1); its log is %2.").arg(code).arg(m_logFile));
  });
  Q_EMIT stateChanged(tr("Starting the local network…"));
  // Any free port: the other programs find it through DATA/chain/devnet.json.
  m_node->start(QCoreApplication::applicationDirPath() + QStringLiteral("/nesa"),
                {QStringLiteral("--config"), m_configFile, QStringLiteral("chain"),
                 QStringLiteral("devnet"), QStringLiteral("--miners"), QString::number(m_miners),
                 QStringLiteral("--json")});
}

} // namespace nesa::app
