// A segmentation stored as radiology software reads AI results (IHE AIR): a DICOM Segmentation
// and a Comprehensive SR with TID 1500 volume measurements, in the source scan's own study.
#pragma once

#include "ingest/label_map.h"
#include "ingest/volume.h"
#include "util/result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace nesa::ingest {

/// The model that made a result, as the result names it (IHE AIR Contributing Equipment).
struct ResultModel {
  std::string name; ///< the manifest's name
  /// A hex digest that changes whenever the weights do (the compiled bundle's id); the device
  /// UID and the version the objects carry come from it.
  std::string version;
  /// The name of each class value; class 0 is the background and gets no segment.
  std::vector<std::string> labels;
  /// Demonstration or research weights: both series descriptions start "Not for diagnostic
  /// use: ".
  bool research = true;
};

/// The DICOM objects written for one segmentation.
struct DicomResultFiles {
  std::filesystem::path segmentation; ///< the DICOM SEG
  std::filesystem::path report;       ///< the Comprehensive SR
  std::string segmentationUid;        ///< SOP instance UID of the SEG
  std::string reportUid;              ///< SOP instance UID of the SR
  /// Volume of each segment in mL, in segment order (class 1, 2, ...), as the SR states it.
  std::vector<double> millilitres;
};

/// Writes `labels` into `folder` (made when missing) as `SEG_<uid>.dcm`, a binary DICOM SEG with
/// one segment per non-background class and one frame per slice and segment, and `SR_<uid>.dcm`,
/// a Comprehensive SR whose TID 1500 report gives each segment's volume in mL and references it.
/// With `source`, both join the source's study, share its frame of reference, reference its
/// series and images, and copy its patient and study attributes; without (a NIfTI scan) both
/// start a new study with a new frame of reference and no patient details. Both files appear, or
/// neither does. InvalidInput when the labels do not fill the grid, a class has no name, or a
/// DICOM source does not have one image per slice; Io when the folder cannot be written.
Result<DicomResultFiles> writeDicomResults(const std::filesystem::path &folder,
                                           const LabelMap &labels,
                                           const std::optional<DicomSource> &source,
                                           const ResultModel &model);

} // namespace nesa::ingest
