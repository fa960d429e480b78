// The DICOM network services a clinician's workflow needs from a PACS, over DIMSE: verify the
// connection (C-ECHO), find studies and series (C-FIND, study root), retrieve a series into a
// folder (C-GET) and store result objects (C-STORE).
#pragma once

#include "pacs/pacs_node.h"
#include "util/result.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace nesa::pacs {

/// What to look for; empty fields match anything. DICOM matching applies: "*" wildcards in
/// names, "20240101-20241231" ranges in dates.
struct StudyQuery {
  std::string patientName;
  std::string patientId;
  std::string studyDate;
  std::string accessionNumber;
  std::string studyInstanceUid;
};

/// A study the PACS holds.
struct StudyMatch {
  std::string studyInstanceUid;
  std::string patientName;
  std::string patientId;
  std::string studyDate;
  std::string studyDescription;
  std::string accessionNumber;
  std::string modalities; ///< "MR\SEG\SR"
};

/// A series of a study.
struct SeriesMatch {
  std::string seriesInstanceUid;
  std::string modality;
  std::string seriesNumber;
  std::string seriesDescription;
  int instances = -1; ///< as the PACS counts them (-1: it did not say)
};

/// Told as instances arrive: how many so far and how many the PACS says remain. Returning false
/// cancels the transfer.
using RetrieveProgress = std::function<bool(int received, int remaining)>;

/// Opens an association and verifies it (C-ECHO). Unavailable when nothing answers at the
/// address; InvalidInput when the PACS refuses the association (it does not know our AE title,
/// or its own is wrong), with its reason.
Result<void> echo(const PacsNode &node);

/// The studies matching `query` (C-FIND, study root, study level).
Result<std::vector<StudyMatch>> findStudies(const PacsNode &node, const StudyQuery &query);

/// The series of a study (C-FIND, study root, series level).
Result<std::vector<SeriesMatch>> findSeries(const PacsNode &node, const std::string &studyUid);

/// Retrieves every instance of a series (or of the whole study when `seriesUid` is empty) into
/// `folder` with C-GET; returns how many arrived. The instances are received into a hidden folder
/// beside `folder`, which takes its name only when the PACS reports that everything was sent:
/// a transfer that fails, is cancelled or loses instances leaves nothing behind. AlreadyExists
/// when `folder` exists; NotFound when the PACS has no such series; Cancelled when `progress`
/// said stop.
Result<int> retrieve(const PacsNode &node, const std::string &studyUid,
                     const std::string &seriesUid, const std::filesystem::path &folder,
                     const RetrieveProgress &progress = {});

/// Stores DICOM files on the PACS (C-STORE), each in the transfer syntax it is in. Stops at the
/// first file the PACS refuses and says which; the files before it stay stored.
Result<void> store(const PacsNode &node, const std::vector<std::filesystem::path> &files);

} // namespace nesa::pacs
