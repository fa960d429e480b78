#include "ingest/dicom_results.h"

#include "ingest/internal/dicom_result_parts.h"

#include <dcmtk/oflog/oflog.h>

#include <system_error>

namespace nesa::ingest {

namespace fs = std::filesystem;
using namespace dicom_result;

namespace {

Result<void> checkInput(const LabelMap &labels, const std::optional<DicomSource> &source,
                        const ResultModel &model) {
  const auto &shape = labels.grid.shape;
  for (auto d : shape)
    if (d < 1)
      return fail(ErrorCode::InvalidInput, "the segmentation's grid is empty");
  if (shape[1] > 65535 || shape[2] > 65535)
    return fail(ErrorCode::InvalidInput, "a DICOM frame holds at most 65535 rows and columns");
  if (static_cast<std::int64_t>(labels.labels.size()) != shape[0] * shape[1] * shape[2])
    return fail(ErrorCode::InvalidInput, "the labels do not fill the segmentation's grid");
  if (model.labels.size() < 2 || model.labels.size() > 256)
    return fail(ErrorCode::InvalidInput,
                "a segmentation written as DICOM needs 2 to 256 classes (background first), not " +
                    std::to_string(model.labels.size()));
  for (const auto &name : model.labels)
    if (clipped(name, 64).empty())
      return fail(ErrorCode::InvalidInput, "every class of the segmentation needs a name");
  if (!source)
    return {};
  if (source->studyInstanceUid.empty() || source->seriesInstanceUid.empty() ||
      source->sopClassUid.empty())
    return fail(ErrorCode::InvalidInput,
                "the source scan has no study, series or SOP class UID to refer to");
  if (!source->hasGeometry)
    return fail(ErrorCode::InvalidInput,
                "the source images do not say where they lie (image position, orientation or "
                "pixel spacing is missing), so a DICOM result cannot be placed on them");
  const auto images = static_cast<std::int64_t>(source->sopInstanceUids.size());
  if (images != 1 && images != shape[0])
    return fail(ErrorCode::InvalidInput, "the source series has " + std::to_string(images) +
                                             " images for " + std::to_string(shape[0]) + " slices");
  for (const auto &uid : source->sopInstanceUids)
    if (uid.empty())
      return fail(ErrorCode::InvalidInput, "an image of the source series has no SOP instance UID");
  return {};
}

void removeQuietly(const fs::path &file) {
  std::error_code ignored;
  fs::remove(file, ignored);
}

} // namespace

Result<DicomResultFiles> writeDicomResults(const fs::path &folder, const LabelMap &labels,
                                           const std::optional<DicomSource> &source,
                                           const ResultModel &model) {
  if (auto checked = checkInput(labels, source, model); !checked)
    return checked.error();
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL); // failures come back as our messages
  auto equipment = equipmentFor(model);
  if (!equipment)
    return equipment.error();

  ResultUids uids;
  uids.study = source ? source->studyInstanceUid : newUid();
  uids.frameOfReference =
      source && !source->frameOfReferenceUid.empty() ? source->frameOfReferenceUid : newUid();
  uids.segmentationSeries = newUid();
  uids.segmentationInstance = newUid();
  uids.reportSeries = newUid();
  uids.reportInstance = newUid();

  DicomResultFiles files;
  const double voxelMillilitres = sliceGeometry(labels.grid).voxelMillilitres;
  std::vector<std::int64_t> counts(model.labels.size(), 0);
  for (std::uint8_t label : labels.labels)
    if (label < counts.size())
      ++counts[label];
  for (std::size_t c = 1; c < counts.size(); ++c)
    files.millilitres.push_back(static_cast<double>(counts[c]) * voxelMillilitres);

  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot make the folder " + folder.string() + ": " + ec.message());
  files.segmentationUid = uids.segmentationInstance;
  files.reportUid = uids.reportInstance;
  files.segmentation = folder / ("SEG_" + uids.segmentationInstance + ".dcm");
  files.report = folder / ("SR_" + uids.reportInstance + ".dcm");
  // Both are written under hidden names and take their own only when both are whole.
  const fs::path segmentationPart =
      folder / ("." + files.segmentation.filename().string() + ".part");
  const fs::path reportPart = folder / ("." + files.report.filename().string() + ".part");
  auto written = writeSegmentation(segmentationPart, labels, source, model, *equipment, uids);
  if (written)
    written =
        writeMeasurementReport(reportPart, files.millilitres, source, model, *equipment, uids);
  if (written) {
    fs::rename(segmentationPart, files.segmentation, ec);
    if (!ec) {
      fs::rename(reportPart, files.report, ec);
      if (ec)
        removeQuietly(files.segmentation);
    }
    if (ec)
      written = fail(ErrorCode::Io,
                     "cannot name the DICOM results in " + folder.string() + ": " + ec.message());
  }
  if (!written) {
    removeQuietly(segmentationPart);
    removeQuietly(reportPart);
    return written.error();
  }
  return files;
}

} // namespace nesa::ingest
