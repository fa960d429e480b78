#include "process_miner_backend.h"

#include "sibling_command.h"
#include "ui/wallet_backend.h"

#include <QCoreApplication>
#include <QRegularExpression>

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
  const CommandAnswer answer = runMiner({QStringLiteral("status")});
  if (answer.code != 0) {
    // "no miner is running" is the normal answer when it is off.
    if (!answer.err.contains(QLatin1String("no miner is running"))) {
      status.running = true;
      status.error = reason(answer);
    }
    return status;
  }
  return parseMinerStatus(answer.out);
}

ui::MinerStatus parseMinerStatus(const QString &out) {
  ui::MinerStatus status;
  status.running = true;
  static const QRegularExpression backend(QStringLiteral("backend\\s+(.+)$"),
                                          QRegularExpression::MultilineOption);
  static const QRegularExpression jobs(
      QStringLiteral("jobs\\s+(\\d+) served, (\\d+) failed, (\\d+) refused, (\\d+) waiting"));
  static const QRegularExpression earned(
      QStringLiteral("earned\\s+(\\d+) µNES, (\\d+) µNES settled"));
  status.backend = backend.match(out).captured(1);
  status.onChain = out.contains(QLatin1String("(staked, registered on the ledger)"));
  status.registered = out.contains(QLatin1String("(registered)"));
  if (const auto m = jobs.match(out); m.hasMatch()) {
    status.served = m.captured(1).toLongLong();
    status.failed = m.captured(2).toLongLong();
    status.refused = m.captured(3).toLongLong();
    status.queued = m.captured(4).toLongLong();
  }
  if (const auto m = earned.match(out); m.hasMatch()) {
    status.earned = m.captured(1).toLongLong();
    status.settled = m.captured(2).toLongLong();
  }
  static const QRegularExpression ledger(
      QStringLiteral("ledger\\s+([0-9.]+) NES staked, reputation (-?\\d+)"));
  if (const auto m = ledger.match(out); m.hasMatch()) {
    status.ledgerKnown = true;
    status.staked = ui::parseNesAmount(m.captured(1));
    status.reputation = m.captured(2).toLongLong();
  }
  status.paused = out.contains(QLatin1String("state    paused"));
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
  const CommandAnswer answer = runSibling(QStringLiteral("nesa"), {QStringLiteral("gpu")});
  return parseGpuList(answer.out);
}

QStringList parseGpuList(const QString &text) {
  static const QRegularExpression line(QStringLiteral("^GPU (\\d+: .+)$"),
                                       QRegularExpression::MultilineOption);
  QStringList gpus;
  for (auto it = line.globalMatch(text); it.hasNext();)
    gpus << it.next().captured(1);
  return gpus;
}

QString ProcessMinerBackend::stop() {
  const CommandAnswer answer = runMiner({QStringLiteral("stop")});
  return answer.code == 0 ? QString() : reason(answer);
}

} // namespace nesa::app
