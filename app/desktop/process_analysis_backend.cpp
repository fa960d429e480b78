#include "process_analysis_backend.h"

#include "sibling_command.h"

#include "model/npy.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace nesa::app {
namespace {

// The float32 or float64 array of an .npy file nesa-analyze wrote.
bool readNpy(const QString &path, std::vector<std::int64_t> &shape, std::vector<float> &values) {
  auto tensor = model::readNpy(QFile::encodeName(path).toStdString());
  if (!tensor || tensor->dtype == model::DType::I64)
    return false;
  shape = tensor->shape;
  values = tensor->toFloats();
  return true;
}

} // namespace

std::vector<ui::ModelOption> ProcessAnalysisBackend::models() {
  std::vector<ui::ModelOption> options;
  auto models =
      registry::ModelRegistry::open(registry::userModelsFolder(), registry::builtInModelFolders());
  if (!models)
    return options;
  for (const auto &m : models->list()) {
    ui::ModelOption option;
    option.id = QString::fromStdString(m.id);
    option.name = QString::fromStdString(m.name);
    option.task = QString::fromStdString(m.task);
    option.input = QStringLiteral("text");
    if (m.manifest) {
      option.input = QString::fromStdString(m.manifest->input);
      for (const auto &label : m.manifest->labels)
        option.labels << QString::fromStdString(label);
      option.notice = QString::fromStdString(m.manifest->notice);
      option.preprocessingJson = QString::fromStdString(m.manifest->preprocessingJson);
    }
    options.push_back(option);
  }
  return options;
}

ui::CostEstimate ProcessAnalysisBackend::estimateCost(const ui::AnalysisRequest &request) {
  if (request.level == QLatin1String("local"))
    return {true, 0, {}};
  const CommandAnswer answer = runSibling(QStringLiteral("nesa-analyze"),
                                          {request.input, QStringLiteral("--model"), request.model,
                                           QStringLiteral("--privacy"), request.level,
                                           QStringLiteral("--estimate"), QStringLiteral("--json")},
                                          request.passphrase, {}, 60000);
  return parseCostEstimate(
      answer.code == 0 ? answer.out.toUtf8() : QByteArray(),
      failureReason(answer, QCoreApplication::translate("AnalyzePage", "the estimate failed")));
}

ui::CostEstimate parseCostEstimate(const QByteArray &json, const QString &failure) {
  const QJsonObject e = QJsonDocument::fromJson(json).object();
  if (!e.contains(u"total"))
    return {false, 0, failure};
  const QString jobs = QString::number(e[u"jobs"].toInteger()),
                perJob = QString::number(e[u"per_job"].toInteger()),
                sessions = QString::number(e[u"sessions"].toInteger());
  const QString detail =
      QCoreApplication::translate("AnalyzePage",
                                  "%1 share jobs at up to %2 µNES; opening %3 payment sessions "
                                  "costs gas and locks a refundable deposit")
          .arg(jobs, perJob, sessions);
  return {true, static_cast<double>(e[u"total"].toInteger()) / 1e6, detail};
}

bool readAnalysisEvent(const QByteArray &line, ui::AnalysisOutcome &outcome,
                       const std::function<void(const ui::AnalysisProgress &)> &progress) {
  const QJsonObject e = QJsonDocument::fromJson(line).object();
  const QString event = e[u"event"].toString();
  if (event == u"call") {
    if (progress)
      progress({e[u"done"].toInt(), e[u"expected"].toInt(), e[u"kind"].toString()});
    for (const auto &work : e[u"miners"].toArray()) {
      const QString miner = work.toObject()[u"miner"].toString();
      if (work.toObject()[u"verified"].toBool() && !outcome.miners.contains(miner))
        outcome.miners << miner;
    }
  } else if (event == u"result") {
    const QJsonObject report = e[u"report"].toObject();
    outcome.calls = report[u"calls"].toInt();
    outcome.checksPassed = report[u"checks_passed"].toInt();
    outcome.checksFailed = report[u"checks_failed"].toInt();
    outcome.costNes = static_cast<double>(e[u"payment"].toObject()[u"paid"].toInteger()) / 1e6;
    QStringList summary;
    for (const auto &line : e[u"summary"].toArray())
      summary << line.toString();
    outcome.summary = summary.join(QLatin1Char('\n'));
    outcome.shape.clear(); // the output's, read from its file; none for a document task
    for (const auto &d : e[u"shape"].toArray())
      outcome.shape.push_back(d.toInteger());
    outcome.ok = true;
  } else if (event == u"error") {
    outcome.error = e[u"message"].toString();
  } else {
    return false;
  }
  return true;
}

ui::AnalysisOutcome
ProcessAnalysisBackend::run(const ui::AnalysisRequest &request,
                            const std::function<void(const ui::AnalysisProgress &)> &progress,
                            const std::atomic<bool> &cancelled) {
  ui::AnalysisOutcome outcome;
  QTemporaryDir scratch;
  const QString output = scratch.filePath(QStringLiteral("output.npy"));
  QProcess process;
  if (!request.passphrase.isEmpty()) // it pays on a joined network and holds the EE key
    handPassphraseTo(process);
  QStringList args{
      request.input, QStringLiteral("--model"),  request.model, QStringLiteral("--privacy"),
      request.level, QStringLiteral("--output"), output,        QStringLiteral("--json")};
  if (request.level != QLatin1String("local")) // keep what one miner saw, to show it
    args << QStringLiteral("--show-share") << scratch.path();
  process.start(QCoreApplication::applicationDirPath() + QStringLiteral("/nesa-analyze"), args);
  if (!process.waitForStarted(10000)) {
    outcome.error =
        QCoreApplication::translate("AnalyzePage", "nesa-analyze could not be started: %1")
            .arg(process.errorString());
    return outcome;
  }
  if (!request.passphrase.isEmpty())
    writePassphrase(process, request.passphrase);
  process.closeWriteChannel();
  process.setReadChannel(QProcess::StandardOutput); // one JSON object a line; stderr is for people
  const auto readEvents = [&] {                     // every whole line that has arrived
    while (process.canReadLine())
      readAnalysisEvent(process.readLine(), outcome, progress);
  };
  while (!process.waitForFinished(100)) {
    if (cancelled.load()) {
      process.kill();
      process.waitForFinished(5000);
      outcome.error = QCoreApplication::translate("AnalyzePage", "The run was cancelled.");
      return outcome;
    }
    readEvents();
  }
  readEvents(); // what came with the end (every event ends its line)
  if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
    if (outcome.error.isEmpty()) // it died before saying why: its last words on stderr
      outcome.error = failureReason(
          {process.exitCode(), {}, QString::fromUtf8(process.readAllStandardError())},
          QCoreApplication::translate("AnalyzePage", "The analysis stopped unexpectedly."));
    return outcome;
  }
  // A scan's or image's result is its output array; a document task's is its text alone.
  if (!outcome.ok || (!outcome.shape.empty() && !readNpy(output, outcome.shape, outcome.output))) {
    outcome.ok = false;
    outcome.error =
        QCoreApplication::translate("AnalyzePage", "The analysis gave no readable result.");
    return outcome;
  }
  readNpy(scratch.filePath(QStringLiteral("input.npy")), outcome.input.shape, outcome.input.values);
  readNpy(scratch.filePath(QStringLiteral("share.npy")), outcome.share.shape, outcome.share.values);
  return outcome;
}

} // namespace nesa::app
