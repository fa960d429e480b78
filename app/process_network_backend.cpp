#include "process_network_backend.h"

#include "sibling_command.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace nesa::app {

ui::NodeStatus parseNodeStatus(const QByteArray &json) {
  ui::NodeStatus status;
  const QJsonDocument document = QJsonDocument::fromJson(json);
  if (!document.isObject()) {
    status.error =
        QCoreApplication::translate("NetworkPage", "the node's status could not be read");
    return status;
  }
  const QJsonObject o = document.object();
  status.node = o[u"node"].toString();
  status.identity = o[u"identity"].toString();
  status.available = o[u"miners_available"].toInt();
  status.registered = o[u"miners_registered"].toInt();
  for (const auto &value : o[u"miners"].toArray()) {
    const QJsonObject m = value.toObject();
    ui::NetworkMiner miner;
    miner.identity = m[u"identity"].toString();
    miner.endpoint = m[u"endpoint"].toString();
    miner.backend = m[u"backend"].toString();
    miner.pricePerQuery = m[u"price_per_query"].toInteger();
    miner.pricePerByte = m[u"price_per_byte"].toInteger();
    miner.jobsServed = m[u"jobs_served"].toInteger();
    miner.onLedger = m.contains(u"staked");
    miner.staked = m[u"staked"].toInteger();
    miner.reputation = m[u"reputation"].toInteger();
    miner.latencyMs = m[u"latency_ms"].toDouble(-1);
    miner.secondsSinceSeen = m[u"seconds_since_seen"].toDouble();
    status.miners.push_back(miner);
  }
  return status;
}

ui::NodeStatus ProcessNetworkBackend::status() {
  const CommandAnswer answer = runSibling(
      QStringLiteral("nesa"),
      {QStringLiteral("node"), QStringLiteral("status"), QStringLiteral("--json")}, {}, {}, 30000);
  if (answer.code != 0) {
    ui::NodeStatus status;
    status.error = failureReason(
        answer, QCoreApplication::translate("NetworkPage", "the node command failed"));
    return status;
  }
  return parseNodeStatus(answer.out.toUtf8());
}

} // namespace nesa::app
