#include "process_analysis_backend.h"

#include "analyzer_session.h"

#include "model/npy.h"
#include "policy/enforcement.h"
#include "registry/model_locations.h"
#include "registry/model_registry.h"
#include "util/child_process.h"
#include "util/private_scratch.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>

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

/// The event of one of nesa-analyze's JSON lines ("call", "result", "estimate", "error").
QString eventOf(const QByteArray &line) {
  return QJsonDocument::fromJson(line).object()[u"event"].toString();
}

/// A session op on `request` (the JSON request of docs/engine.md, version 1).
std::string sessionOp(const QString &op, const ui::AnalysisRequest &request,
                      const QString &output = {}, const QString &showShare = {},
                      const QString &outputDicom = {}, const QJsonObject &more = {}) {
  QJsonObject object{
      {QStringLiteral("op"), op},
      {QStringLiteral("request"), QJsonObject{{QStringLiteral("version"), 1},
                                              {QStringLiteral("input"), request.input},
                                              {QStringLiteral("model"), request.model},
                                              {QStringLiteral("privacy"), request.level},
                                              {QStringLiteral("show_share"), showShare}}}};
  if (!output.isEmpty())
    object[QStringLiteral("output")] = output;
  if (!outputDicom.isEmpty())
    object[QStringLiteral("output_dicom")] = outputDicom;
  for (auto field = more.begin(); field != more.end(); ++field)
    object[field.key()] = field.value();
  if (!request.passphrase.isEmpty()) // it pays on a joined network and holds the EE key
    object[QStringLiteral("passphrase")] = request.passphrase;
  QByteArray json = QJsonDocument(object).toJson(QJsonDocument::Compact);
  std::string text = json.toStdString();
  json.fill('\0');
  return text;
}

} // namespace

ProcessAnalysisBackend::ProcessAnalysisBackend(std::vector<std::string> sessionArguments)
    : m_session(std::make_unique<AnalyzerSession>(executableDir() / "nesa-analyze",
                                                  std::move(sessionArguments))) {}

ProcessAnalysisBackend::~ProcessAnalysisBackend() = default;

AnalyzerWork ProcessAnalysisBackend::work() const {
  std::lock_guard lock(m_mutex);
  return m_work;
}

void ProcessAnalysisBackend::noteWork(const QByteArray &line) {
  const QJsonObject work = QJsonDocument::fromJson(line).object()[u"work"].toObject();
  if (work.isEmpty())
    return;
  std::lock_guard lock(m_mutex);
  m_work = {work[u"inputs_read"].toInt(-1), work[u"models_compiled"].toInt(-1),
            work[u"pools_opened"].toInt(-1)};
}

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
  ui::AnalysisRequest withoutSecret = request; // the price needs no secret
  withoutSecret.passphrase.clear();
  QByteArray answer;
  auto exchanged = m_session->exchange(
      sessionOp(QStringLiteral("estimate"), withoutSecret),
      [&](const std::string &line) {
        answer = QByteArray::fromStdString(line);
        const QString event = eventOf(answer);
        return event == u"estimate" || event == u"error";
      },
      nullptr, std::chrono::seconds(60));
  const QString failed = QCoreApplication::translate("AnalyzePage", "the estimate failed");
  if (!exchanged)
    return {false, 0,
            failed + QStringLiteral(": ") + QString::fromStdString(exchanged.error().message)};
  noteWork(answer);
  if (eventOf(answer) == u"error")
    return {false, 0, QJsonDocument::fromJson(answer).object()[u"message"].toString(failed)};
  return parseCostEstimate(answer, failed);
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
    for (const auto &summaryLine : e[u"summary"].toArray())
      summary << summaryLine.toString();
    outcome.summary = summary.join(QLatin1Char('\n'));
    outcome.shape.clear(); // the output's, read from its file; none for a document task
    for (const auto &d : e[u"shape"].toArray())
      outcome.shape.push_back(d.toInteger());
    outcome.dicomFiles.clear();
    for (const auto &file : e[u"dicom"].toArray())
      outcome.dicomFiles << file.toString();
    outcome.dicomError = e[u"dicom_error"].toString();
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
  QTemporaryDir scratch(QString::fromStdString(paths::privateScratchTemplate()));
  const QString output = scratch.filePath(QStringLiteral("output.npy"));
  // Keep what one miner saw, to show it; at local no miner is used, so there is nothing to keep
  // (docs/privacy.md: tst_engine theLocalLevelSendsNothing, tst_analysis
  // everyLevelGivesTheLocalAnswer).
  const QString showShare = request.level != QLatin1String("local") ? scratch.path() : QString();
  // A segmentation of a scan also comes as DICOM SEG + SR, kept (they hold the patient's
  // details) in a private folder until the next run, for "Send result to PACS".
  m_dicom =
      std::make_unique<QTemporaryDir>(QString::fromStdString(paths::privateScratchTemplate()));
  const QString dicom = m_dicom->isValid() ? m_dicom->filePath(QStringLiteral("dicom")) : QString();
  QByteArray last;
  std::string op = sessionOp(QStringLiteral("run"), request, output, showShare, dicom);
  auto exchanged = m_session->exchange(
      op,
      [&](const std::string &text) {
        last = QByteArray::fromStdString(text);
        readAnalysisEvent(last, outcome, progress);
        const QString event = eventOf(last);
        return event == u"result" || event == u"error";
      },
      &cancelled);
  std::fill(op.begin(), op.end(), '\0'); // it carried the passphrase
  noteWork(last);
  if (cancelled.load()) {
    outcome.ok = false;
    outcome.error = QCoreApplication::translate("AnalyzePage", "The run was cancelled.");
    return outcome;
  }
  if (!exchanged) {
    outcome.ok = false;
    outcome.error =
        QCoreApplication::translate("AnalyzePage", "The analysis stopped unexpectedly.");
    return outcome;
  }
  if (!outcome.error.isEmpty())
    return outcome;
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

QString ProcessAnalysisBackend::exportRefusal() {
  const auto allowed = policy::Enforcement::installed().allowsExport();
  return allowed ? QString() : QString::fromStdString(allowed.error().message);
}

QString ProcessAnalysisBackend::recordExport(const ui::AnalysisRequest &request,
                                             const QString &format, ui::ExportStage stage) {
  const QString stageName = stage == ui::ExportStage::Starting  ? QStringLiteral("started")
                            : stage == ui::ExportStage::Written ? QStringLiteral("written")
                                                                : QStringLiteral("failed");
  std::string op = sessionOp(
      QStringLiteral("record"), request, {}, {}, {},
      QJsonObject{{QStringLiteral("format"), format}, {QStringLiteral("stage"), stageName}});
  QByteArray answer;
  auto exchanged = m_session->exchange(
      op,
      [&](const std::string &line) {
        answer = QByteArray::fromStdString(line);
        const QString event = eventOf(answer);
        return event == u"recorded" || event == u"error";
      },
      nullptr, std::chrono::seconds(60));
  std::fill(op.begin(), op.end(), '\0'); // it held the passphrase
  if (!exchanged)
    return QString::fromStdString(exchanged.error().message);
  if (eventOf(answer) == u"error")
    return QJsonDocument::fromJson(answer).object()[u"message"].toString();
  return {};
}

} // namespace nesa::app
