// A fake PacsBackend for the UI tests: one study with two series; a retrieval reports its images
// one by one and gives a path the test chose, or waits until it is cancelled.
#pragma once

#include "ui/pacs_backend.h"

#include <chrono>
#include <mutex>
#include <thread>

namespace nesa::testing {

class FakePacsBackend : public ui::PacsBackend {
public:
  QString name = QStringLiteral("ORTHANC@pacs.test:4242");
  QString retrievedPath;      ///< what a retrieval gives
  bool waitForCancel = false; ///< a retrieval that only ends when cancelled
  std::mutex mutex;
  std::vector<ui::PacsQuery> queries;
  std::vector<QString> retrievedSeries;
  QStringList sentFiles;

  QString pacsName() override { return name; }
  ui::PacsAnswer<std::vector<ui::PacsStudy>> findStudies(const ui::PacsQuery &query) override {
    std::lock_guard lock(mutex);
    queries.push_back(query);
    if (query.patientName == QLatin1String("Nobody*"))
      return {{}, {}};
    return {{{"1.2.3", "Doe^Jane", "P-1", "20260312", "MR brain", "MR"}}, {}};
  }
  ui::PacsAnswer<std::vector<ui::PacsSeries>> findSeries(const QString &study) override {
    if (study != QLatin1String("1.2.3"))
      return {{}, QStringLiteral("no such study")};
    return {{{"1.2.3.1", "MR", "1", "T1 axial", 3}, {"1.2.3.2", "MR", "2", "T2 axial", 3}}, {}};
  }
  ui::PacsAnswer<QString> retrieve(const QString &, const QString &series,
                                   const std::function<void(int, int)> &progress,
                                   const std::atomic<bool> &cancelled) override {
    {
      std::lock_guard lock(mutex);
      retrievedSeries.push_back(series);
    }
    for (int i = 1; i <= 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      progress(i, 3 - i);
    }
    while (waitForCancel && !cancelled.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (cancelled.load())
      return {{}, QStringLiteral("The transfer was cancelled.")};
    return {retrievedPath, {}};
  }
  ui::PacsAnswer<bool> send(const QStringList &files) override {
    std::lock_guard lock(mutex);
    sentFiles = files;
    if (name.contains(QLatin1String("refusing")))
      return {false, QStringLiteral("the PACS refused the association")};
    return {true, {}};
  }
};

} // namespace nesa::testing
