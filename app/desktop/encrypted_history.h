// The desktop app's HistoryBackend: one SQLCipher store (core/storage) in the data folder,
// keyed from the wallet's passphrase with Argon2id. Nothing about an analysis is written
// anywhere else.
#pragma once

#include "policy/policy.h"
#include "ui/history_backend.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>

namespace nesa::storage {
class EncryptedStore;
}

namespace nesa::app {

/// The history in `<data folder>/history.db` (or where the organisation's policy puts it), keeping
/// what the policy lets it keep (policy::Storage): everything, reports without their inputs, or
/// nothing new; records older than the policy's historyDays are deleted as it opens and as a
/// record is added. Thread-safe (one call at a time).
class EncryptedHistory : public ui::HistoryBackend {
public:
  /// The storage rules in force, asked at each open and add.
  using Rules = std::function<policy::Storage()>;

  /// `file`: the store; `testKdf`: cheap key derivation, for tests only; `rules`: the storage
  /// rules (none: the installed policy's).
  explicit EncryptedHistory(std::filesystem::path file, bool testKdf = false, Rules rules = {});
  ~EncryptedHistory() override;

  QString open(const QString &passphrase) override;
  void close() override;
  bool isOpen() override;
  std::vector<ui::AnalysisRecord> list(const QString &search) override;
  QString add(const ui::AnalysisRecord &record) override;
  QString remove(std::int64_t id) override;

private:
  /// Deletes the records older than `days` (none when 0); with the mutex held.
  QString forgetOlderThan(std::uint32_t days);

  std::filesystem::path m_file;
  bool m_testKdf = false;
  Rules m_rules;
  std::mutex m_mutex;
  std::unique_ptr<storage::EncryptedStore> m_store;
};

} // namespace nesa::app
