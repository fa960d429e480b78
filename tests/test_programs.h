// Running this project's programs from a test: a process with its own NESA_HOME, stdin and
// wallet passphrase, and what it printed.
#pragma once

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

/// What a program printed and how it ended (code -1: it crashed or ran past four minutes).
struct Run {
  int code = -1;
  QString out;
  QString err;
};

/// Runs `program` with `args`, NESA_HOME = `home` (when given), `input` on its stdin and the
/// passphrase in $NESA_WALLET_PASSPHRASE (when given); the rest of the environment is the
/// test's own.
inline Run run(const QString &program, const QStringList &args, const QString &home = {},
               const QByteArray &input = {}, const QString &passphrase = {}) {
  QProcess process;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  if (!home.isEmpty())
    env.insert(QStringLiteral("NESA_HOME"), home);
  if (!passphrase.isEmpty())
    env.insert(QStringLiteral("NESA_WALLET_PASSPHRASE"), passphrase);
  process.setProcessEnvironment(env);
  process.start(program, args);
  process.write(input);
  process.closeWriteChannel();
  if (!process.waitForFinished(240000)) {
    process.kill();
    process.waitForFinished();
    return {};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

/// The test models (written by the program `testModels`, nesa-test-models) in `folder`, and a
/// manifest that makes volume.pt read a scan (8³ voxels).
inline bool writeVolumeModel(const QString &testModels, const QString &folder) {
  if (run(testModels, {folder}).code != 0)
    return false;
  QFile manifest(folder + QStringLiteral("/volume.json"));
  if (!manifest.open(QIODevice::WriteOnly))
    return false;
  manifest.write(
      R"({"name": "Demo volume classifier", "task": "classification", "input": "volume",
      "inputShape": [1, 1, 8, 8, 8], "labels": ["left", "right"],
      "preprocessing": {"spacing": [6, 6, 6], "shape": [8, 8, 8], "normalize": "zscore"},
      "licence": "test only", "provenance": "random weights written by the test suite",
      "notice": "random weights: demonstration only"})");
  return true;
}

/// Runs `nesa config set KEY VALUE` (`nesa` is the program's path) with NESA_HOME = `home`;
/// true when it succeeded.
inline bool setConfig(const QString &nesa, const QString &home, const QString &key,
                      const QString &value) {
  return run(nesa, {QStringLiteral("config"), QStringLiteral("set"), key, value}, home).code == 0;
}
