#include "sibling_command.h"

#include <QCoreApplication>
#include <QProcess>
#include <QRegularExpression>

namespace nesa::app {

CommandAnswer runSibling(const QString &program, const QStringList &args, const QString &passphrase,
                         const QByteArray &input, int timeoutMs) {
  QProcess process;
  auto env = QProcessEnvironment::systemEnvironment();
  if (!passphrase.isEmpty())
    env.insert(QStringLiteral("NESA_WALLET_PASSPHRASE"), passphrase);
  process.setProcessEnvironment(env);
  process.start(QCoreApplication::applicationDirPath() + QLatin1Char('/') + program, args);
  process.write(input);
  process.closeWriteChannel();
  if (!process.waitForFinished(timeoutMs)) {
    process.kill();
    process.waitForFinished(5000);
    return {-1, {}, QCoreApplication::translate("nesa", "%1 did not answer").arg(program)};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

QString failureReason(const CommandAnswer &answer, const QString &fallback) {
  QString last = answer.err.trimmed().section(QLatin1Char('\n'), -1);
  last.remove(QRegularExpression(QStringLiteral("^nesa [a-z]+: ")));
  return last.isEmpty() ? fallback : last;
}

} // namespace nesa::app
