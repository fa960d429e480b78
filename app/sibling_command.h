// Running one of the programs installed beside the desktop app (`nesa ...`) to completion and
// reading what it said: what the wallet and miner pages' backends share.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace nesa::app {

/// What a finished command said.
struct CommandAnswer {
  int code = -1; ///< exit code; -1 when it crashed, could not start or timed out
  QString out, err;
};

/// Runs `program` (beside this one) with `args`, `input` on its stdin and, when not empty,
/// the wallet passphrase in its $NESA_WALLET_PASSPHRASE; gives up after `timeoutMs`.
CommandAnswer runSibling(const QString &program, const QStringList &args,
                         const QString &passphrase = {}, const QByteArray &input = {},
                         int timeoutMs = 120000);

/// The last line the command wrote on stderr without its "nesa xxx: " prefix, else `fallback`.
QString failureReason(const CommandAnswer &answer, const QString &fallback);

} // namespace nesa::app
