// What a clinician's workflow needs from a PACS: verify the connection, find studies and series,
// retrieve a series into a folder, store result objects. Over DIMSE (C-ECHO, C-FIND study root,
// C-GET, C-STORE) or over DICOMweb (QIDO-RS, WADO-RS, STOW-RS), as the node says; the answers and
// the guarantees are the same.
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

/// Verifies that the PACS answers and accepts us (C-ECHO; over DICOMweb, a QIDO-RS query for one
/// study). Unavailable when nothing answers at the address; InvalidInput when the PACS refuses
/// us (it does not know our AE title, its own is wrong, its certificate does not match), with
/// its reason.
Result<void> echo(const PacsNode &node);

/// The studies matching `query` (C-FIND at study level, or QIDO-RS /studies).
Result<std::vector<StudyMatch>> findStudies(const PacsNode &node, const StudyQuery &query);

/// The series of a study (C-FIND at series level, or QIDO-RS /studies/UID/series).
Result<std::vector<SeriesMatch>> findSeries(const PacsNode &node, const std::string &studyUid);

/// Retrieves every instance of a series (or of the whole study when `seriesUid` is empty) into
/// `folder` (C-GET, or WADO-RS one instance at a time); returns how many arrived. Instances of
/// another study or series are refused. The instances are received into a hidden folder
/// beside `folder`, which takes its name only when the PACS reports that everything was sent:
/// a transfer that fails, is cancelled or loses instances leaves nothing behind. AlreadyExists
/// when `folder` exists; NotFound when the PACS has no such series; Cancelled when `progress`
/// said stop.
Result<int> retrieve(const PacsNode &node, const std::string &studyUid,
                     const std::string &seriesUid, const std::filesystem::path &folder,
                     const RetrieveProgress &progress = {});

/// Stores DICOM files on the PACS (C-STORE, or STOW-RS requests of up to 64 MiB), each in the
/// transfer syntax it is in. Over DIMSE it stops at the first file the PACS refuses and says which
/// (the files before it stay stored); over DICOMweb it names every file the PACS refused. Forbidden
/// when the organisation's policy does not let this user send results to a PACS.
Result<void> store(const PacsNode &node, const std::vector<std::filesystem::path> &files);

} // namespace nesa::pacs
