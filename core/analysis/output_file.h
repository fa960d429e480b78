// Saving a run's result where the user asked: the model's output array as .npy, or a
// segmentation on the scan's own grid as NIfTI (what a viewer lays over the scan) or as DICOM
// SEG + SR (what a PACS stores beside the study).
#pragma once

#include "analysis/analyzer.h"
#include "ingest/dicom_results.h"

#include <filesystem>

namespace nesa::analysis {

/// InvalidInput unless `file` ends in .npy, .nii or .nii.gz (checked before a run, so a wrong
/// name costs nothing).
Result<void> checkOutputFile(const std::filesystem::path &file);

/// Writes `outcome` to `file`: .npy, the model's output; .nii or .nii.gz, the segmentation on the
/// scan's grid (InvalidInput when the outcome has none: the model does not segment, or its input
/// was not a NIfTI or DICOM scan).
Result<void> writeOutput(const std::filesystem::path &file, const Outcome &outcome);

/// InvalidInput unless `folder` is a folder or can be made as one: its nearest existing
/// ancestor is a folder (checked before a run, so a wrong name costs nothing).
Result<void> checkDicomFolder(const std::filesystem::path &folder);

/// Writes the segmentation of `outcome` into `folder` as a DICOM SEG and a Comprehensive SR
/// (ingest::writeDicomResults): in the scan's own study when it was DICOM, else in a new one.
/// Every result says "not for diagnostic use": Nesa Desktop is not a medical device.
/// InvalidInput when the outcome has no segmentation on a scan's grid.
Result<ingest::DicomResultFiles> writeDicomOutput(const std::filesystem::path &folder,
                                                  const Outcome &outcome);

} // namespace nesa::analysis
