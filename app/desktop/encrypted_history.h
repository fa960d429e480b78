// The desktop app's HistoryBackend: one SQLCipher store (core/storage) in the data folder,
// keyed from the wallet's passphrase with Argon2id. Nothing about an analysis is written
// anywhere else.
#pragma once

#include "ui/history_backend.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace nesa::storage {
class EncryptedStore;
}

namespace nesa::app {

/// The history in `<data folder>/history.db`. Thread-safe (one call at a time).
class EncryptedHistory : public ui::HistoryBackend {
public:
  /// `file`: the store; `testKdf`: cheap key derivation, for tests only.
  explicit EncryptedHistory(std::filesystem::path file, bool testKdf = false);
  ~EncryptedHistory() override;

  QString open(const QString &passphrase) override;
  void close() override;
  bool isOpen() override;
  std::vector<ui::AnalysisRecord> list(const QString &search) override;
  QString add(const ui::AnalysisRecord &record) override;
  QString remove(std::int64_t id) override;

private:
  std::filesystem::path m_file;
  bool m_testKdf = false;
  std::mutex m_mutex;
  std::unique_ptr<storage::EncryptedStore> m_store;
};

} // namespace nesa::app
