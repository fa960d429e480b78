// The desktop app's AuditBackend: this computer's audit log (core/audit) in the data folder,
// opened with the wallet's passphrase, read only by people the organisation's policy lets read
// the audit trail (checked again whenever the log is opened, listed or verified, not only when
// the page is built).
#pragma once

#include "ui/audit_backend.h"

#include <filesystem>
#include <memory>
#include <mutex>

namespace nesa::audit {
class AuditLog;
}

namespace nesa::app {

/// The audit log in `folder` (`<data folder>/audit`). Thread-safe (one call at a time).
class EncryptedAuditTrail : public ui::AuditBackend {
public:
  explicit EncryptedAuditTrail(std::filesystem::path folder);
  ~EncryptedAuditTrail() override;

  QString access() override;
  QString open(const QString &passphrase) override;
  void close() override;
  bool isOpen() override;
  std::vector<ui::AuditRecord> list(const ui::AuditQuery &query, QString &error) override;
  ui::AuditCheck verify() override;

private:
  std::filesystem::path m_folder;
  std::mutex m_mutex;
  std::unique_ptr<audit::AuditLog> m_log;
};

} // namespace nesa::app
