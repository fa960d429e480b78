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
  const QJsonObject o = document.object();
  if (!document.isObject() || !o.contains(u"chainId")) {
    status.error =
        QCoreApplication::translate("NetworkPage", "the network's status could not be read");
    return status;
  }
  status.node = o[u"rpc"].toString();
  status.identity = QStringLiteral("chain %1, registry %2")
                        .arg(o[u"chainId"].toInteger())
                        .arg(o[u"contracts"].toObject()[u"registry"].toString());
  for (const auto &value : o[u"miners"].toArray()) {
    const QJsonObject m = value.toObject();
    ui::NetworkMiner miner;
    miner.identity = m[u"account"].toString();
    miner.endpoint = m[u"endpoint"].toString();
    miner.backend = m[u"backend"].toString();
    miner.pricePerQuery = m[u"price_per_job"].toInteger();
    miner.pricePerMiB = m[u"price_per_mib"].toInteger();
    miner.jobsServed = m[u"jobs_served"].toInteger();
    miner.staked = m[u"staked"].toInteger();
    miner.reputation = m[u"reputation"].toInteger();
    miner.latencyMs = m[u"latency_ms"].toDouble(-1);
    status.available += miner.latencyMs >= 0 ? 1 : 0;
    status.miners.push_back(miner);
  }
  status.registered = static_cast<int>(status.miners.size());
  return status;
}

ui::NodeStatus ProcessNetworkBackend::status() {
  const CommandAnswer answer = runSibling(
      QStringLiteral("nesa"),
      {QStringLiteral("chain"), QStringLiteral("status"), QStringLiteral("--json")}, {}, {}, 30000);
  if (answer.code != 0) {
    ui::NodeStatus status;
    status.error = failureReason(
        answer, QCoreApplication::translate("NetworkPage", "the chain command failed"));
    return status;
  }
  return parseNodeStatus(answer.out.toUtf8());
}

} // namespace nesa::app
