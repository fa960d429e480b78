// A fake AuditBackend for the UI tests: records in memory, opened by the passphrase "right",
// refusing everything while `refusal` is set (as an organisation's policy without the audit
// right does). It keeps the last query it was asked, filters by action, actor and time as the
// real log does, and answers verify with `problems` (or `checkError`).
#pragma once

#include "ui/audit_backend.h"

#include <mutex>

namespace nesa::testing {

class FakeAuditBackend : public ui::AuditBackend {
public:
  QString refusal;
  QStringList problems;
  QString checkError; ///< verify could not run
  std::vector<ui::AuditRecord> records; ///< oldest first

  QString access() override {
    std::lock_guard lock(m_mutex);
    return refusal;
  }
  QString open(const QString &passphrase) override {
    std::lock_guard lock(m_mutex);
    if (!refusal.isEmpty())
      return refusal;
    if (passphrase != QLatin1String("right"))
      return QStringLiteral("the wallet's passphrase does not open the audit log");
    m_open = true;
    return {};
  }
  void close() override {
    std::lock_guard lock(m_mutex);
    m_open = false;
  }
  bool isOpen() override {
    std::lock_guard lock(m_mutex);
    return m_open;
  }
  std::vector<ui::AuditRecord> list(const ui::AuditQuery &query, QString &error) override {
    std::lock_guard lock(m_mutex);
    m_lastQuery = query;
    std::vector<ui::AuditRecord> out;
    if (!m_open) {
      error = QStringLiteral("the audit log is locked");
      return out;
    }
    for (const auto &r : records)
      if ((query.action.isEmpty() || r.action == query.action) &&
          (query.actor.isEmpty() || r.actor == query.actor) &&
          (!query.since.isValid() || r.time >= query.since))
        out.push_back(r);
    return out;
  }
  ui::AuditCheck verify() override {
    std::lock_guard lock(m_mutex);
    ui::AuditCheck check;
    check.records = records.size();
    check.checkpoints = records.size();
    check.problems = problems;
    check.error = checkError;
    return check;
  }
  ui::AuditQuery lastQuery() {
    std::lock_guard lock(m_mutex);
    return m_lastQuery;
  }

private:
  std::mutex m_mutex;
  bool m_open = false;
  ui::AuditQuery m_lastQuery;
};

} // namespace nesa::testing
