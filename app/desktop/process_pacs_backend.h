// The desktop app's PacsBackend: `nesa pacs … --json` in a child process (what the command line
// does, with the same settings), retrieving into private folders that live as long as the app.
#pragma once

#include "ui/pacs_backend.h"

#include <QTemporaryDir>

#include <memory>
#include <mutex>
#include <vector>

namespace nesa::app {

/// Runs `nesa pacs` beside this program and reads its JSON.
class ProcessPacsBackend : public ui::PacsBackend {
public:
  /// `configPath`: the settings file `nesa pacs` reads ("" for the default one).
  explicit ProcessPacsBackend(QString configPath = {}) : m_configPath(std::move(configPath)) {}

  QString pacsName() override;
  ui::PacsAnswer<std::vector<ui::PacsStudy>> findStudies(const ui::PacsQuery &query) override;
  ui::PacsAnswer<std::vector<ui::PacsSeries>> findSeries(const QString &studyUid) override;
  /// Into a new private folder (0700) removed when the app closes; a cancelled or failed
  /// transfer removes it at once (the child process is stopped).
  ui::PacsAnswer<QString> retrieve(const QString &studyUid, const QString &seriesUid,
                                   const std::function<void(int, int)> &progress,
                                   const std::atomic<bool> &cancelled) override;
  ui::PacsAnswer<bool> send(const QStringList &files) override;

  /// The wallet's passphrase while it is unlocked (empty: locked), handed to each transfer
  /// when the audit log is kept (the setting auditLog, or the policy), so that the transfer is
  /// recorded; a transfer the log cannot record does not start.
  void setWalletPassphrase(const QString &passphrase);

private:
  /// The passphrase to hand to a transfer: the wallet's when the audit log is kept, else none.
  QString passphraseForTransfers();
  /// `nesa pacs ARGS` with --config when one was given.
  QStringList pacsArguments(const QStringList &args) const;

  QString m_configPath;

  std::mutex m_mutex;
  QString m_passphrase;
  std::vector<std::unique_ptr<QTemporaryDir>> m_retrieved; ///< the series opened so far
};

/// Reads `nesa pacs find --json`.
std::vector<ui::PacsStudy> parseStudies(const QByteArray &json);
/// Reads `nesa pacs series --json`.
std::vector<ui::PacsSeries> parseSeries(const QByteArray &json);

} // namespace nesa::app
