// A scan from another format written as a DICOM MR series, one image per slice, with its
// geometry: how the tests put the Colin27 volume into a PACS.
#pragma once

#include "ingest/internal/dicom_result_parts.h"
#include "ingest/volume.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

namespace nesa::testing {

/// Writes `volume` ([z, y, x]) into `folder` as an MR series of a new study for `patientName`:
/// 16-bit pixels (exact when the voxels are integers from 0 to 65535, else rescaled), image
/// position and orientation in LPS+ from its affine. Returns the files, or none on failure.
inline std::vector<std::filesystem::path> writeDicomSeries(const ingest::Volume &volume,
                                                           const std::filesystem::path &folder,
                                                           const std::string &patientName) {
  namespace parts = ingest::dicom_result;
  std::vector<std::filesystem::path> files;
  if (volume.shape.size() != 3)
    return files;
  const ingest::VoxelGrid grid{
      {volume.shape[0], volume.shape[1], volume.shape[2]}, volume.affine, volume.coordinateSystem};
  const parts::SliceGeometry geometry = parts::sliceGeometry(grid);
  const auto [low, high] = std::minmax_element(volume.voxels.begin(), volume.voxels.end());
  const bool exact = *low >= 0 && *high <= 65535 &&
                     std::all_of(volume.voxels.begin(), volume.voxels.end(),
                                 [](float v) { return std::floor(v) == v; });
  const double intercept = exact ? 0 : *low;
  const double slope = exact || *high == *low ? 1 : (*high - *low) / 65535.0;
  const std::string study = parts::newUid(), series = parts::newUid(), frame = parts::newUid();
  const auto rows = volume.shape[1], columns = volume.shape[2];
  const auto sliceSize = static_cast<std::size_t>(rows * columns);
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  std::string orientation;
  for (double v : geometry.orientation)
    orientation += (orientation.empty() ? "" : "\\") + parts::decimal(v);
  for (std::int64_t k = 0; k < volume.shape[0]; ++k) {
    DcmFileFormat format;
    DcmDataset &data = *format.getDataset();
    const std::string sop = parts::newUid();
    const auto &p = geometry.positions[static_cast<std::size_t>(k)];
    const std::vector<std::pair<DcmTagKey, std::string>> attributes = {
        {DCM_SOPClassUID, UID_MRImageStorage},
        {DCM_SOPInstanceUID, sop},
        {DCM_StudyInstanceUID, study},
        {DCM_SeriesInstanceUID, series},
        {DCM_FrameOfReferenceUID, frame},
        {DCM_Modality, "MR"},
        {DCM_PatientName, patientName},
        {DCM_PatientID, "COLIN27"},
        {DCM_StudyDate, "19980101"},
        {DCM_StudyDescription, "Colin27 T1 (test)"},
        {DCM_SeriesNumber, "1"},
        {DCM_InstanceNumber, std::to_string(k + 1)},
        {DCM_ImagePositionPatient,
         parts::decimal(p[0]) + "\\" + parts::decimal(p[1]) + "\\" + parts::decimal(p[2])},
        {DCM_ImageOrientationPatient, orientation},
        {DCM_PixelSpacing,
         parts::decimal(geometry.rowSpacing) + "\\" + parts::decimal(geometry.columnSpacing)},
        {DCM_SliceThickness, parts::decimal(geometry.sliceSpacing)},
        {DCM_PhotometricInterpretation, "MONOCHROME2"},
        {DCM_RescaleIntercept, parts::decimal(intercept)},
        {DCM_RescaleSlope, parts::decimal(slope)},
    };
    bool good = true;
    for (const auto &[tag, value] : attributes)
      good = good && data.putAndInsertString(tag, value.c_str()).good();
    good = good && data.putAndInsertUint16(DCM_SamplesPerPixel, 1).good() &&
           data.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(rows)).good() &&
           data.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(columns)).good() &&
           data.putAndInsertUint16(DCM_BitsAllocated, 16).good() &&
           data.putAndInsertUint16(DCM_BitsStored, 16).good() &&
           data.putAndInsertUint16(DCM_HighBit, 15).good() &&
           data.putAndInsertUint16(DCM_PixelRepresentation, 0).good();
    std::vector<Uint16> pixels(sliceSize);
    const float *slice = volume.voxels.data() + static_cast<std::size_t>(k) * sliceSize;
    for (std::size_t i = 0; i < sliceSize; ++i)
      pixels[i] = static_cast<Uint16>(std::lround((slice[i] - intercept) / slope));
    good = good && data.putAndInsertUint16Array(DCM_PixelData, pixels.data(),
                                                static_cast<unsigned long>(pixels.size()))
                       .good();
    const auto file = folder / ("slice" + std::to_string(k + 1) + ".dcm");
    if (!good || format.saveFile(file.c_str(), EXS_LittleEndianExplicit).bad())
      return {};
    files.push_back(file);
  }
  return files;
}

} // namespace nesa::testing
