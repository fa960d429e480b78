#include "process_miner_backend.h"

#include "sibling_command.h"
#include "ui/wallet_backend.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace nesa::app {
namespace {

CommandAnswer runMiner(const QStringList &args) {
  return runSibling(QStringLiteral("nesa"), QStringList{QStringLiteral("miner")} + args, {}, {},
                    90000);
}

QString reason(const CommandAnswer &answer) {
  return failureReason(answer,
                       QCoreApplication::translate("MinerPage", "the miner command failed"));
}

} // namespace

ui::MinerStatus ProcessMinerBackend::status() {
  ui::MinerStatus status;
  const CommandAnswer answer = runMiner({QStringLiteral("status"), QStringLiteral("--json")});
  if (answer.code != 0) {
    // {"running": false} is the normal answer when it is off.
    const QJsonObject off = QJsonDocument::fromJson(answer.out.toUtf8()).object();
    if (off.value(u"running").toBool(true)) {
      status.running = true;
      status.error = reason(answer);
    }
    return status;
  }
  return parseMinerStatus(answer.out.toUtf8());
}

ui::MinerStatus parseMinerStatus(const QByteArray &json) {
  ui::MinerStatus status;
  status.running = true;
  const QJsonObject s = QJsonDocument::fromJson(json).object();
  if (!s.contains(u"jobs_served")) {
    status.error = QCoreApplication::translate("MinerPage", "the miner's status could not be read");
    return status;
  }
  status.backend = s[u"backend"].toString();
  status.account = s[u"chain_account"].toString();
  status.onChain = s[u"on_chain"].toBool();
  status.served = s[u"jobs_served"].toInteger();
  status.failed = s[u"jobs_failed"].toInteger();
  status.refused = s[u"jobs_refused"].toInteger();
  status.queued = s[u"queued"].toInteger();
  status.earned = s[u"earned"].toInteger();
  status.settled = s[u"settled"].toInteger();
  status.paused = s[u"paused"].toBool();
  if (s.contains(u"registry")) {
    const QJsonObject r = s[u"registry"].toObject();
    status.ledgerKnown = true;
    status.registered = r[u"registered"].toBool();
    status.staked = r[u"staked"].toInteger();
    status.reputation = r[u"reputation"].toInteger();
  }
  return status;
}

QString ProcessMinerBackend::start(const ui::MinerStartOptions &options) {
  QStringList args{QStringLiteral("start"),
                   QStringLiteral("--threads"),
                   QString::number(options.threads),
                   QStringLiteral("--backend"),
                   options.backend,
                   QStringLiteral("--max-jobs"),
                   QString::number(options.maxJobs)};
  if (options.onlyWhenIdle)
    args << QStringLiteral("--only-when-idle");
  const CommandAnswer answer = runMiner(args);
  return answer.code == 0 ? QString() : reason(answer);
}

QStringList ProcessMinerBackend::gpus() {
  const CommandAnswer answer =
      runSibling(QStringLiteral("nesa"), {QStringLiteral("gpu"), QStringLiteral("--json")});
  return parseGpuList(answer.out.toUtf8());
}

QStringList parseGpuList(const QByteArray &json) {
  QStringList gpus;
  for (const auto &entry : QJsonDocument::fromJson(json).object()[u"devices"].toArray()) {
    const QJsonObject d = entry.toObject();
    gpus << QStringLiteral("%1: %2, %3 MiB, compute %4")
                .arg(d[u"index"].toInt())
                .arg(d[u"name"].toString())
                .arg(d[u"memory_mib"].toInteger())
                .arg(d[u"compute"].toString());
  }
  return gpus;
}

QString ProcessMinerBackend::stop() {
  const CommandAnswer answer = runMiner({QStringLiteral("stop")});
  return answer.code == 0 ? QString() : reason(answer);
}

} // namespace nesa::app
