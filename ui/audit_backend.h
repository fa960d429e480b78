// The audit page's view of the product: this computer's audit trail (core/audit), encrypted
// with the wallet's passphrase and readable only by people whose organisation's policy gives
// them the audit right (or by everyone when no policy is installed). The app implements it with
// core/audit (app/desktop/encrypted_audit_trail.h); tests with fakes. Every call but access() may
// block.
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace nesa::ui {

/// One audit record, as `nesa audit list` shows it. Inputs are named by digest, never by content.
struct AuditRecord {
  std::uint64_t sequence = 0; ///< position in the log, from 0
  QDateTime time;             ///< UTC
  QString actor;              ///< who
  QString action;             ///< analysis, export, pacs-send, …
  QString subject;            ///< on what: an input digest, a model, an address
  QString outcome;            ///< "ok", or why it failed or was refused
  QString details;            ///< a JSON object with the rest (level, miners, cost…)
};

/// Which records to read; empty fields and an invalid time select everything.
struct AuditQuery {
  QString action;
  QString actor;
  QDateTime since;
};

/// What re-hashing the log and checking its signed checkpoints found (nesa audit verify).
struct AuditCheck {
  QString error; ///< the check could not run (locked, refused, busy): nothing is known
  std::uint64_t records = 0;
  std::uint64_t checkpoints = 0;
  QStringList problems; ///< what the check found wrong; empty: intact

  bool intact() const { return error.isEmpty() && problems.isEmpty(); }
};

/// The product behind the audit page.
class AuditBackend {
public:
  virtual ~AuditBackend() = default;
  /// "" when this person may read the audit trail, else the policy's refusal. It reads the
  /// policy and the user's groups (which may ask the directory): call it off the GUI thread
  /// except once when the window is built.
  virtual QString access() = 0;
  /// Opens the log with the wallet's passphrase; "" or why not (refused, no log yet, wrong
  /// passphrase, a damaged store).
  virtual QString open(const QString &passphrase) = 0;
  /// Forgets the key; list and verify fail until the next open.
  virtual void close() = 0;
  virtual bool isOpen() = 0;
  /// The records matching `query`, oldest first; on failure none, and `error` says why.
  virtual std::vector<AuditRecord> list(const AuditQuery &query, QString &error) = 0;
  /// Re-hashes every record and checks the checkpoints.
  virtual AuditCheck verify() = 0;
};

} // namespace nesa::ui
