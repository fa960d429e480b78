#include "process_pacs_backend.h"

#include "policy/storage_places.h"
#include "sibling_command.h"
#include "util/config.h"
#include "util/paths.h"
#include "util/private_scratch.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

namespace nesa::app {
namespace {

QString tr(const char *text) { return QCoreApplication::translate("OpenFromPacsDialog", text); }

} // namespace

std::vector<ui::PacsStudy> parseStudies(const QByteArray &json) {
  std::vector<ui::PacsStudy> studies;
  for (const auto &entry : QJsonDocument::fromJson(json).array()) {
    const QJsonObject s = entry.toObject();
    studies.push_back({s[u"studyInstanceUid"].toString(), s[u"patientName"].toString(),
                       s[u"patientId"].toString(), s[u"studyDate"].toString(),
                       s[u"studyDescription"].toString(), s[u"modalities"].toString()});
  }
  return studies;
}

std::vector<ui::PacsSeries> parseSeries(const QByteArray &json) {
  std::vector<ui::PacsSeries> series;
  for (const auto &entry : QJsonDocument::fromJson(json).array()) {
    const QJsonObject s = entry.toObject();
    series.push_back({s[u"seriesInstanceUid"].toString(), s[u"modality"].toString(),
                      s[u"seriesNumber"].toString(), s[u"seriesDescription"].toString(),
                      s[u"instances"].toInt(-1)});
  }
  return series;
}

QStringList ProcessPacsBackend::pacsArguments(const QStringList &args) const {
  QStringList all{QStringLiteral("pacs")};
  all += args;
  if (!m_configPath.isEmpty())
    all << QStringLiteral("--config") << m_configPath;
  return all;
}

QString ProcessPacsBackend::pacsName() {
  auto config = loadConfigOrDefault(m_configPath.toStdString());
  return config ? QString::fromStdString(config->pacsNode) : QString();
}

ui::PacsAnswer<std::vector<ui::PacsStudy>>
ProcessPacsBackend::findStudies(const ui::PacsQuery &query) {
  QStringList args{QStringLiteral("find"), QStringLiteral("--json")};
  if (!query.patientName.isEmpty())
    args << QStringLiteral("--patient-name") << query.patientName;
  if (!query.patientId.isEmpty())
    args << QStringLiteral("--patient-id") << query.patientId;
  if (!query.studyDate.isEmpty())
    args << QStringLiteral("--study-date") << query.studyDate;
  const CommandAnswer answer = runSibling(QStringLiteral("nesa"), pacsArguments(args));
  if (answer.code != 0)
    return {{}, failureReason(answer, tr("The PACS did not answer."))};
  return {parseStudies(answer.out.toUtf8()), {}};
}

ui::PacsAnswer<std::vector<ui::PacsSeries>>
ProcessPacsBackend::findSeries(const QString &studyUid) {
  const CommandAnswer answer =
      runSibling(QStringLiteral("nesa"),
                 pacsArguments({QStringLiteral("series"), studyUid, QStringLiteral("--json")}));
  if (answer.code != 0)
    return {{}, failureReason(answer, tr("The PACS did not answer."))};
  return {parseSeries(answer.out.toUtf8()), {}};
}

ui::PacsAnswer<QString> ProcessPacsBackend::retrieve(const QString &studyUid,
                                                     const QString &seriesUid,
                                                     const std::function<void(int, int)> &progress,
                                                     const std::atomic<bool> &cancelled) {
  auto folder = std::make_unique<QTemporaryDir>(
      QString::fromStdString(paths::privateScratchTemplate())); // swept if we crash
  if (!folder->isValid())
    return {{}, tr("Cannot make a private folder for the series.")};
  const QString target = folder->filePath(QStringLiteral("series"));
  QProcess process;
  const QString passphrase = passphraseForTransfers();
  if (!passphrase.isEmpty())
    handPassphraseTo(process);
  process.start(
      QCoreApplication::applicationDirPath() + QStringLiteral("/nesa"),
      pacsArguments({QStringLiteral("get"), studyUid, QStringLiteral("--series"), seriesUid,
                     QStringLiteral("--to"), target, QStringLiteral("--json")}));
  if (!process.waitForStarted(10000))
    return {{}, tr("nesa pacs did not start.")};
  if (!passphrase.isEmpty())
    writePassphrase(process, passphrase);
  process.closeWriteChannel(); // nothing more: a passphrase it lacks is not waited for
  QByteArray pending;
  while (process.state() != QProcess::NotRunning) {
    if (cancelled.load()) { // the folder (and any half of the series) goes with `folder`
      process.kill();
      process.waitForFinished(5000);
      return {{}, tr("The transfer was cancelled.")};
    }
    process.waitForReadyRead(100);
    pending += process.readAllStandardOutput();
    for (qsizetype end; (end = pending.indexOf('\n')) >= 0; pending.remove(0, end + 1)) {
      const QJsonObject line = QJsonDocument::fromJson(pending.left(end)).object();
      if (line.contains(u"received") && progress)
        progress(line[u"received"].toInt(), line[u"remaining"].toInt());
    }
  }
  CommandAnswer answer{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                       {},
                       QString::fromUtf8(process.readAllStandardError())};
  if (answer.code != 0)
    return {{}, failureReason(answer, tr("The series could not be retrieved."))};
  std::lock_guard lock(m_mutex);
  m_retrieved.push_back(std::move(folder));
  return {target, {}};
}

ui::PacsAnswer<bool> ProcessPacsBackend::send(const QStringList &files) {
  const CommandAnswer answer =
      runSibling(QStringLiteral("nesa"), pacsArguments(QStringList{QStringLiteral("send")} + files),
                 passphraseForTransfers());
  if (answer.code != 0)
    return {false, failureReason(answer, tr("The PACS did not store the result."))};
  return {true, {}};
}

void ProcessPacsBackend::setWalletPassphrase(const QString &passphrase) {
  std::lock_guard lock(m_mutex);
  m_passphrase.fill(QLatin1Char('\0'));
  m_passphrase = passphrase;
}

QString ProcessPacsBackend::passphraseForTransfers() {
  auto config = loadConfigOrDefault(m_configPath.toStdString());
  if (!config || !policy::auditLogOn(*config))
    return {};
  std::lock_guard lock(m_mutex);
  return m_passphrase;
}

} // namespace nesa::app
