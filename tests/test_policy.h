// Installing an organisation's policy for a test: the administrator's verifier key and a signed
// note in a folder that $NESA_POLICY_DIR then names.
#pragma once

#include "audit/checkpoint.h"

#include <QFile>
#include <QString>

#include <string>

/// A policy folder: `key`'s verifier in policy.pub and `note` in policy.
inline bool installPolicy(const QString &folder, const nesa::audit::SignerKey &key,
                          const std::string &note) {
  QFile pub(folder + QStringLiteral("/policy.pub")), file(folder + QStringLiteral("/policy"));
  if (!pub.open(QIODevice::WriteOnly) || !file.open(QIODevice::WriteOnly))
    return false;
  pub.write(QByteArray::fromStdString(key.verifier.toString() + "\n"));
  file.write(QByteArray::fromStdString(note));
  return true;
}
