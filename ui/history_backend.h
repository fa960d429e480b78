// The history page's view of the product: past analyses with their reports and receipts, kept
// only in an encrypted store that the wallet's passphrase opens. The app implements it with
// core/storage (app/desktop/encrypted_history.h); tests with fakes. Every call may block.
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// One finished analysis, as the history keeps it.
struct AnalysisRecord {
  std::int64_t id = 0;  ///< given by the store
  QDateTime finishedAt; ///< UTC
  QString input;        ///< the file's path
  QString model;        ///< model id
  QString level;        ///< privacy level
  bool ok = false;
  QString summary;    ///< the result in words, or the error
  QString receipt;    ///< the verification badge: miners, checks, what was paid
  double costNes = 0; ///< what was paid
  QStringList miners; ///< who answered
};

/// The product behind the history page.
class HistoryBackend {
public:
  virtual ~HistoryBackend() = default;
  /// Opens (or creates, the first time) the history with the wallet's passphrase; "" or why
  /// not ("wrong passphrase", a damaged file).
  virtual QString open(const QString &passphrase) = 0;
  /// Forgets the key; list/add/remove fail until the next open.
  virtual void close() = 0;
  virtual bool isOpen() = 0;
  /// The records whose input, model, level, summary or receipt contain `search` (all when
  /// empty, case-insensitive), newest first.
  virtual std::vector<AnalysisRecord> list(const QString &search) = 0;
  /// Keeps `record` (its id is ignored); "" or why not.
  virtual QString add(const AnalysisRecord &record) = 0;
  /// Deletes the record `id` for good; "" or why not.
  virtual QString remove(std::int64_t id) = 0;
};

} // namespace nesa::ui
