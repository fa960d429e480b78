// DICOM images and series through DCMTK: uncompressed, RLE, JPEG and JPEG-LS transfer syntaxes.
#pragma once

#include "ingest/volume.h"
#include "util/result.h"

#include <filesystem>

namespace nesa::ingest {

/// Reads one DICOM file (single- or multi-frame) as a volume, rescaled to physical units
/// (Hounsfield units for CT). Patient-identifying attributes go to Volume::identifying.
/// JPEG 2000 files are refused with a clear message (DCMTK has no JPEG 2000 decoder).
Result<Volume> readDicomFile(const std::filesystem::path &file);

/// Reads a series: the images a DICOMDIR lists (pass the DICOMDIR file, or a folder holding
/// one), else every DICOM file in `folder` (not recursive). Keeps the series with the most
/// slices, orders its slices along the slice normal and stacks them into one volume.
Result<Volume> readDicomSeries(const std::filesystem::path &folder);

} // namespace nesa::ingest
