// The desktop's view of the hospital's PACS: find studies and their series, retrieve a series
// into a folder the analyze page opens, and send result objects back. The app implements it with
// `nesa pacs … --json` in a child process (app/desktop/process_pacs_backend.h); tests with fakes.
// Every call may block: the pages call it off the GUI thread.
#pragma once

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <vector>

namespace nesa::ui {

/// What to look for; empty fields match anything (DICOM wildcards such as "Doe^*" work).
struct PacsQuery {
  QString patientName;
  QString patientId;
  QString studyDate; ///< "20260101" or a range "20260101-20261231"
};

/// A study the PACS holds.
struct PacsStudy {
  QString uid;
  QString patientName;
  QString patientId;
  QString date;
  QString description;
  QString modalities; ///< "MR\SEG"
};

/// A series of a study.
struct PacsSeries {
  QString uid;
  QString modality;
  QString number;
  QString description;
  int instances = -1; ///< -1: the PACS did not say
};

/// An answer: the value, or a readable error.
template <typename T> struct PacsAnswer {
  T value{};
  QString error; ///< empty when it worked
  bool ok() const { return error.isEmpty(); }
};

/// The product behind "Open from PACS…" and "Send result to PACS".
class PacsBackend {
public:
  virtual ~PacsBackend() = default;
  /// The PACS the settings name ("ORTHANC@pacs.example.org:4242"), or "" when none is set.
  virtual QString pacsName() = 0;
  virtual PacsAnswer<std::vector<PacsStudy>> findStudies(const PacsQuery &query) = 0;
  virtual PacsAnswer<std::vector<PacsSeries>> findSeries(const QString &studyUid) = 0;
  /// Retrieves a series into a new private folder and returns its path. `progress` hears
  /// (received, remaining) from the calling thread; `cancelled` stops the transfer, which then
  /// leaves nothing behind.
  virtual PacsAnswer<QString> retrieve(const QString &studyUid, const QString &seriesUid,
                                       const std::function<void(int, int)> &progress,
                                       const std::atomic<bool> &cancelled) = 0;
  /// Stores `files` (a result's DICOM SEG and SR) on the PACS.
  virtual PacsAnswer<bool> send(const QStringList &files) = 0;
};

} // namespace nesa::ui
