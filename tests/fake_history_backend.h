// A fake HistoryBackend for the UI tests: records in memory, opened by the passphrase "right".
#pragma once

#include "ui/history_backend.h"

#include <mutex>

namespace nesa::testing {

class FakeHistoryBackend : public ui::HistoryBackend {
public:
  QString open(const QString &passphrase) override {
    std::lock_guard lock(m_mutex);
    if (passphrase != QLatin1String("right"))
      return QStringLiteral("the passphrase does not open the history");
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
  std::vector<ui::AnalysisRecord> list(const QString &search) override {
    std::lock_guard lock(m_mutex);
    std::vector<ui::AnalysisRecord> out;
    if (!m_open)
      return out;
    for (auto it = m_records.rbegin(); it != m_records.rend(); ++it)
      if (search.isEmpty() || it->input.contains(search, Qt::CaseInsensitive) ||
          it->summary.contains(search, Qt::CaseInsensitive))
        out.push_back(*it);
    return out;
  }
  QString add(const ui::AnalysisRecord &record) override {
    std::lock_guard lock(m_mutex);
    if (!m_open)
      return QStringLiteral("the history is locked");
    m_records.push_back(record);
    m_records.back().id = ++m_lastId;
    return {};
  }
  QString remove(std::int64_t id) override {
    std::lock_guard lock(m_mutex);
    std::erase_if(m_records, [id](const auto &r) { return r.id == id; });
    return {};
  }
  std::size_t size() {
    std::lock_guard lock(m_mutex);
    return m_records.size();
  }

private:
  std::mutex m_mutex;
  bool m_open = false;
  std::int64_t m_lastId = 0;
  std::vector<ui::AnalysisRecord> m_records;
};

} // namespace nesa::testing
