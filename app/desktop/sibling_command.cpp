#include "sibling_command.h"

#include <QCoreApplication>
#include <QProcess>

#include <algorithm>

namespace nesa::app {

CommandAnswer runSibling(const QString &program, const QStringList &args, const QString &passphrase,
                         const QByteArray &input, int timeoutMs) {
  QProcess process;
  if (!passphrase.isEmpty())
    handPassphraseTo(process);
  process.start(QCoreApplication::applicationDirPath() + QLatin1Char('/') + program, args);
  if (!passphrase.isEmpty())
    writePassphrase(process, passphrase);
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

void handPassphraseTo(QProcess &process) {
  auto env = QProcessEnvironment::systemEnvironment();
  env.remove(QStringLiteral("NESA_WALLET_PASSPHRASE"));
  env.insert(QStringLiteral("NESA_PASSPHRASE_FD"), QStringLiteral("0"));
  process.setProcessEnvironment(env);
}

void writePassphrase(QProcess &process, const QString &passphrase) {
  QByteArray line = passphrase.toUtf8() + '\n';
  process.write(line);
  line.fill('\0'); // this copy, at least, does not linger
}

QString failureReason(const CommandAnswer &answer, const QString &fallback) {
  // The sentence is for a person: shown as it is, less the "nesa COMMAND: " our programs put
  // before it.
  QString last = answer.err.trimmed().section(QLatin1Char('\n'), -1);
  const QLatin1String program("nesa ");
  const qsizetype colon = last.indexOf(QLatin1String(": "));
  if (last.startsWith(program) && colon > program.size()) {
    const QStringView command = QStringView(last).mid(program.size(), colon - program.size());
    if (std::all_of(command.begin(), command.end(), [](QChar c) { return c.isLower(); }))
      last.remove(0, colon + 2);
  }
  return last.isEmpty() ? fallback : last;
}

} // namespace nesa::app
