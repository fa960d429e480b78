// Running one of the programs installed beside the desktop app (`nesa ...`) to completion and
// reading what it said: what the wallet and miner pages' backends share.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace nesa::app {

/// What a finished command said.
struct CommandAnswer {
  int code = -1; ///< exit code; -1 when it crashed, could not start or timed out
  QString out, err;
};

/// Runs `program` (beside this one) with `args`, `input` on its stdin and, when not empty,
/// the wallet passphrase handed over before it (handPassphraseTo); gives up after `timeoutMs`.
CommandAnswer runSibling(const QString &program, const QStringList &args,
                         const QString &passphrase = {}, const QByteArray &input = {},
                         int timeoutMs = 120000);

/// Makes `process` (not started yet) expect the wallet passphrase as the first line of its stdin
/// ($NESA_PASSPHRASE_FD=0, cli::readPassphrase), never in its environment.
void handPassphraseTo(QProcess &process);
/// Writes the passphrase line to a process set up by handPassphraseTo (once it has started).
void writePassphrase(QProcess &process, const QString &passphrase);

/// The last line the command wrote on stderr without its "nesa xxx: " prefix, else `fallback`.
QString failureReason(const CommandAnswer &answer, const QString &fallback);

} // namespace nesa::app
