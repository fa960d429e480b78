#include "encrypted_audit_trail.h"

#include "audit/audit_log.h"
#include "policy/enforcement.h"

#include <QCoreApplication>

namespace nesa::app {
namespace {

QString text(const Error &error) { return QString::fromStdString(error.message); }
QString fromUtf8(const std::string &s) { return QString::fromStdString(s); }
QString locked() { return QCoreApplication::translate("AuditPage", "the audit log is locked"); }

ui::AuditRecord toRecord(const audit::AuditEntry &entry) {
  ui::AuditRecord r;
  r.sequence = entry.sequence;
  r.time = QDateTime::fromMSecsSinceEpoch(entry.timeMs, Qt::UTC);
  r.actor = fromUtf8(entry.actor);
  r.action = fromUtf8(entry.action);
  r.subject = fromUtf8(entry.subject);
  r.outcome = fromUtf8(entry.outcome);
  r.details = fromUtf8(entry.details);
  return r;
}

} // namespace

EncryptedAuditTrail::EncryptedAuditTrail(std::filesystem::path folder)
    : m_folder(std::move(folder)) {}

EncryptedAuditTrail::~EncryptedAuditTrail() = default;

QString EncryptedAuditTrail::access() {
  const auto allowed = policy::Enforcement::installed().allowsAuditReview();
  return allowed ? QString() : text(allowed.error());
}

QString EncryptedAuditTrail::open(const QString &passphrase) {
  const QString refused = access();
  std::lock_guard lock(m_mutex);
  m_log.reset(); // a refused open leaves no earlier log open either
  if (!refused.isEmpty())
    return refused;
  // Reading never creates a log: that is the audit log setting's job (nesa config set auditLog).
  std::error_code ec;
  if (!std::filesystem::exists(audit::AuditLog::storePath(m_folder), ec) &&
      !std::filesystem::exists(audit::AuditLog::witnessPath(m_folder), ec))
    return QCoreApplication::translate(
        "AuditPage", "there is no audit log on this computer yet: it starts with the first "
                     "analysis after the audit log is turned on in Settings");
  QByteArray bytes = passphrase.toUtf8();
  auto secret = SecureBuffer::copyOf(std::string_view(bytes.constData(), bytes.size()));
  bytes.fill('\0');
  if (!secret)
    return text(secret.error());
  auto log = audit::AuditLog::open(m_folder, *secret);
  if (!log)
    return log.error().code == ErrorCode::WrongPassphrase
               ? QCoreApplication::translate("AuditPage",
                                             "the wallet's passphrase does not open the audit log")
               : text(log.error());
  m_log = std::make_unique<audit::AuditLog>(std::move(*log));
  return {};
}

void EncryptedAuditTrail::close() {
  std::lock_guard lock(m_mutex);
  m_log.reset();
}

bool EncryptedAuditTrail::isOpen() {
  std::lock_guard lock(m_mutex);
  return m_log != nullptr;
}

std::vector<ui::AuditRecord> EncryptedAuditTrail::list(const ui::AuditQuery &query,
                                                       QString &error) {
  std::vector<ui::AuditRecord> records;
  if (error = access(); !error.isEmpty())
    return records;
  std::lock_guard lock(m_mutex);
  if (!m_log) {
    error = locked();
    return records;
  }
  audit::AuditFilter filter;
  filter.action = query.action.toStdString();
  filter.actor = query.actor.toStdString();
  filter.sinceMs = query.since.isValid() ? query.since.toMSecsSinceEpoch() : 0;
  auto entries = m_log->list(filter);
  if (!entries) {
    error = text(entries.error());
    return records;
  }
  records.reserve(entries->size());
  for (const auto &entry : *entries)
    records.push_back(toRecord(entry));
  return records;
}

ui::AuditCheck EncryptedAuditTrail::verify() {
  ui::AuditCheck check;
  if (check.error = access(); !check.error.isEmpty())
    return check;
  std::lock_guard lock(m_mutex);
  if (!m_log) {
    check.error = locked();
    return check;
  }
  auto report = m_log->verify();
  if (!report) {
    check.error = text(report.error());
    return check;
  }
  check.records = report->records;
  check.checkpoints = report->checkpoints;
  for (const auto &problem : report->problems)
    check.problems << fromUtf8(problem);
  return check;
}

} // namespace nesa::app
