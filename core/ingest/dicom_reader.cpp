#include "ingest/dicom_reader.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdicdir.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

namespace nesa::ingest {
namespace {

// Decoders for the compressed transfer syntaxes DCMTK supports, registered once per process.
void registerCodecs() {
  static std::once_flag once;
  std::call_once(once, [] {
    OFLog::configure(OFLogger::FATAL_LOG_LEVEL); // failures come back as our messages
    DcmRLEDecoderRegistration::registerCodecs();
    DJDecoderRegistration::registerCodecs();
    DJLSDecoderRegistration::registerCodecs();
  });
}

// One decoded file, before stacking.
struct Slice {
  Volume volume;
  std::string seriesUid;
  std::array<double, 3> position{0, 0, 0};
  std::array<double, 6> orientation{1, 0, 0, 0, 1, 0};
  bool hasGeometry = false;
};

std::string text(DcmDataset &data, const DcmTagKey &key) {
  OFString value;
  return data.findAndGetOFStringArray(key, value).good() ? std::string(value.c_str())
                                                         : std::string();
}

double number(DcmDataset &data, const DcmTagKey &key, unsigned long index, double fallback) {
  Float64 value = 0;
  return data.findAndGetFloat64(key, value, index).good() ? value : fallback;
}

template <typename T> void convert(const void *data, std::size_t n, float *out) {
  const auto *in = static_cast<const T *>(data);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = static_cast<float>(in[i]);
}

std::array<double, 3> cross(const std::array<double, 6> &o) {
  return {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
}

void setAffine(Volume &volume, const std::array<double, 6> &o, const std::array<double, 3> &origin,
               const std::array<double, 3> &sliceStep) {
  for (int r = 0; r < 3; ++r) {
    volume.affine[r][0] = o[r] * volume.spacing[0];     // along a row: the column index grows
    volume.affine[r][1] = o[3 + r] * volume.spacing[1]; // down a column
    volume.affine[r][2] = sliceStep[r];
    volume.affine[r][3] = origin[r];
  }
  volume.affine[3] = {0, 0, 0, 1};
  volume.coordinateSystem = "LPS";
}

// The study, series, image and patient attributes a result written back must carry.
DicomSource sourceOf(DcmDataset &data) {
  DicomSource source;
  source.studyInstanceUid = text(data, DCM_StudyInstanceUID);
  source.seriesInstanceUid = text(data, DCM_SeriesInstanceUID);
  source.frameOfReferenceUid = text(data, DCM_FrameOfReferenceUID);
  source.sopClassUid = text(data, DCM_SOPClassUID);
  source.sopInstanceUids = {text(data, DCM_SOPInstanceUID)};
  source.hasGeometry = data.tagExists(DCM_ImagePositionPatient) &&
                       data.tagExists(DCM_ImageOrientationPatient) &&
                       data.tagExists(DCM_PixelSpacing);
  for (const DcmTagKey &key :
       {DCM_SpecificCharacterSet, DCM_PatientName, DCM_PatientID, DCM_IssuerOfPatientID,
        DCM_PatientBirthDate, DCM_PatientSex, DCM_StudyDate, DCM_StudyTime, DCM_StudyID,
        DCM_AccessionNumber, DCM_ReferringPhysicianName, DCM_StudyDescription}) {
    if (data.tagExists(key))
      source.patientAndStudy.emplace_back(
          static_cast<std::uint32_t>(key.getGroup()) << 16 | key.getElement(), text(data, key));
  }
  return source;
}

Result<Slice> readSlice(const std::filesystem::path &file) {
  registerCodecs();
  DcmFileFormat format;
  OFCondition status = format.loadFile(file.c_str());
  if (status.bad())
    return fail(ErrorCode::Corrupt,
                file.string() + " is not a readable DICOM file (" + status.text() + ")");
  DcmDataset &data = *format.getDataset();
  const E_TransferSyntax syntax = data.getOriginalXfer();
  const DcmXfer xfer(syntax);
  if (syntax == EXS_JPEG2000LosslessOnly || syntax == EXS_JPEG2000)
    return fail(ErrorCode::InvalidInput,
                file.string() + " is JPEG 2000 compressed, which this build cannot decode "
                                "(DCMTK has no JPEG 2000 codec); export it uncompressed");
  Slice slice;
  Volume &volume = slice.volume;
  volume.format = std::string("DICOM (") + xfer.getXferName() + ")";
  volume.modality = text(data, DCM_Modality);
  slice.seriesUid = text(data, DCM_SeriesInstanceUID);
  volume.dicom = sourceOf(data);
  for (const auto &[name, key] : std::initializer_list<std::pair<const char *, DcmTagKey>>{
           {"Patient's name", DCM_PatientName},
           {"Patient ID", DCM_PatientID},
           {"Birth date", DCM_PatientBirthDate},
           {"Sex", DCM_PatientSex},
           {"Institution", DCM_InstitutionName},
           {"Referring physician", DCM_ReferringPhysicianName},
           {"Accession number", DCM_AccessionNumber},
           {"Study date", DCM_StudyDate}}) {
    const std::string value = text(data, key);
    if (!value.empty())
      volume.identifying[name] = value;
  }

  DicomImage image(&format, syntax, CIF_MayDetachPixelData, 0, 0);
  if (image.getStatus() != EIS_Normal)
    return fail(ErrorCode::Corrupt, file.string() + ": the pixel data cannot be decoded (" +
                                        DicomImage::getString(image.getStatus()) + ")");
  if (!image.isMonochrome())
    return fail(ErrorCode::InvalidInput,
                file.string() + " is a colour image; only grey-scale scans can be analyzed");
  const DiPixel *pixels = image.getInterData();
  if (pixels == nullptr || pixels->getData() == nullptr)
    return fail(ErrorCode::Corrupt, file.string() + ": no pixel data");
  const auto rows = static_cast<std::int64_t>(image.getHeight());
  const auto columns = static_cast<std::int64_t>(image.getWidth());
  const auto frames = static_cast<std::int64_t>(image.getFrameCount());
  const std::size_t count = pixels->getCount();
  if (count != static_cast<std::size_t>(rows * columns * frames))
    return fail(ErrorCode::Corrupt, file.string() + ": the pixel data does not match its size");
  volume.shape = {frames, rows, columns};
  volume.voxels.resize(count);
  switch (pixels->getRepresentation()) {
  case EPR_Uint8: convert<Uint8>(pixels->getData(), count, volume.voxels.data()); break;
  case EPR_Sint8: convert<Sint8>(pixels->getData(), count, volume.voxels.data()); break;
  case EPR_Uint16: convert<Uint16>(pixels->getData(), count, volume.voxels.data()); break;
  case EPR_Sint16: convert<Sint16>(pixels->getData(), count, volume.voxels.data()); break;
  case EPR_Uint32: convert<Uint32>(pixels->getData(), count, volume.voxels.data()); break;
  case EPR_Sint32: convert<Sint32>(pixels->getData(), count, volume.voxels.data()); break;
  }
  volume.spacing = {number(data, DCM_PixelSpacing, 1, 1.0), number(data, DCM_PixelSpacing, 0, 1.0),
                    number(data, DCM_SliceThickness, 0, 1.0)};
  slice.hasGeometry =
      data.tagExists(DCM_ImagePositionPatient) && data.tagExists(DCM_ImageOrientationPatient);
  for (unsigned long i = 0; i < 3; ++i)
    slice.position[i] = number(data, DCM_ImagePositionPatient, i, 0.0);
  for (unsigned long i = 0; i < 6; ++i)
    slice.orientation[i] = number(data, DCM_ImageOrientationPatient, i, slice.orientation[i]);
  const auto normal = cross(slice.orientation);
  setAffine(volume, slice.orientation, slice.position,
            {normal[0] * volume.spacing[2], normal[1] * volume.spacing[2],
             normal[2] * volume.spacing[2]});
  double center = 0, width = 0;
  if (image.getWindow(center, width) && width > 0) {
    volume.windowCenter = center;
    volume.windowWidth = width;
  } else {
    const auto [low, high] = std::minmax_element(volume.voxels.begin(), volume.voxels.end());
    volume.windowCenter = (*low + *high) / 2.0;
    volume.windowWidth = std::max(1e-6, static_cast<double>(*high - *low));
  }
  return slice;
}

} // namespace

Result<Volume> readDicomFile(const std::filesystem::path &file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return fail(ErrorCode::NotFound, "no DICOM file at " + file.string());
  auto slice = readSlice(file);
  if (!slice)
    return slice.error();
  return std::move(slice->volume);
}

namespace {

// The image files a DICOMDIR refers to (ReferencedFileID components, relative to its folder).
Result<std::vector<std::filesystem::path>> filesOfDicomDir(const std::filesystem::path &dicomdir) {
  registerCodecs();
  DcmDicomDir directory(dicomdir.c_str());
  if (directory.error().bad())
    return fail(ErrorCode::Corrupt, dicomdir.string() + " is not a readable DICOMDIR (" +
                                        directory.error().text() + ")");
  std::vector<std::filesystem::path> files;
  std::vector<DcmDirectoryRecord *> pending{&directory.getRootRecord()};
  while (!pending.empty()) {
    DcmDirectoryRecord *record = pending.back();
    pending.pop_back();
    for (DcmDirectoryRecord *child = record->nextSub(nullptr); child;
         child = record->nextSub(child)) {
      pending.push_back(child);
      OFString id;
      if (child->getRecordType() == ERT_Image &&
          child->findAndGetOFStringArray(DCM_ReferencedFileID, id).good()) {
        std::filesystem::path file = dicomdir.parent_path();
        std::string part;
        for (char c : std::string(id.c_str()) + "\\") {
          if (c == '\\') {
            if (!part.empty())
              file /= part;
            part.clear();
          } else {
            part += c;
          }
        }
        files.push_back(file);
      }
    }
  }
  if (files.empty())
    return fail(ErrorCode::InvalidInput, dicomdir.string() + " lists no images");
  return files;
}

} // namespace

Result<Volume> readDicomSeries(const std::filesystem::path &folder) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_regular_file(folder, ec) && folder.filename() == "DICOMDIR") {
    auto listed = filesOfDicomDir(folder);
    if (!listed)
      return listed.error();
    files = std::move(*listed);
  } else if (std::filesystem::is_directory(folder, ec)) {
    if (std::filesystem::is_regular_file(folder / "DICOMDIR", ec))
      return readDicomSeries(folder / "DICOMDIR");
    for (const auto &entry : std::filesystem::directory_iterator(folder, ec))
      if (entry.is_regular_file())
        files.push_back(entry.path());
  } else {
    return fail(ErrorCode::NotFound, "no folder or DICOMDIR at " + folder.string());
  }
  std::map<std::string, std::vector<Slice>> bySeries;
  std::string firstError;
  for (const auto &file : files) {
    auto slice = readSlice(file);
    if (!slice) {
      if (firstError.empty())
        firstError = slice.error().message;
      continue;
    }
    if (slice->volume.shape[0] != 1)
      continue; // multi-frame files are volumes of their own
    bySeries[slice->seriesUid].push_back(std::move(*slice));
  }
  if (bySeries.empty())
    return fail(ErrorCode::InvalidInput,
                folder.string() + " holds no readable single-frame DICOM image" +
                    (firstError.empty() ? std::string() : " (" + firstError + ")"));
  auto &slices =
      std::max_element(bySeries.begin(), bySeries.end(), [](const auto &a, const auto &b) {
        return a.second.size() < b.second.size();
      })->second;
  const auto normal = cross(slices.front().orientation);
  auto along = [&](const Slice &s) {
    return s.position[0] * normal[0] + s.position[1] * normal[1] + s.position[2] * normal[2];
  };
  std::sort(slices.begin(), slices.end(),
            [&](const Slice &a, const Slice &b) { return along(a) < along(b); });
  const Slice &first = slices.front();
  Volume volume = first.volume;
  const auto rows = volume.shape[1], columns = volume.shape[2];
  volume.voxels.clear();
  volume.dicom->sopInstanceUids.clear();
  for (const auto &s : slices) {
    if (s.volume.shape[1] != rows || s.volume.shape[2] != columns)
      return fail(ErrorCode::InvalidInput, folder.string() + ": the series' slices differ in size");
    for (std::size_t i = 0; i < 6; ++i)
      if (std::abs(s.orientation[i] - first.orientation[i]) > 1e-3)
        return fail(ErrorCode::InvalidInput,
                    folder.string() +
                        ": the series' slices are not parallel (mixed orientations); export "
                        "one stack of parallel slices");
    volume.voxels.insert(volume.voxels.end(), s.volume.voxels.begin(), s.volume.voxels.end());
    volume.dicom->sopInstanceUids.push_back(s.volume.dicom->sopInstanceUids.front());
    volume.dicom->hasGeometry = volume.dicom->hasGeometry && s.volume.dicom->hasGeometry;
  }
  volume.shape = {static_cast<std::int64_t>(slices.size()), rows, columns};
  std::array<double, 3> step{normal[0] * volume.spacing[2], normal[1] * volume.spacing[2],
                             normal[2] * volume.spacing[2]};
  if (slices.size() > 1 && first.hasGeometry) {
    const double distance =
        (along(slices.back()) - along(first)) / static_cast<double>(slices.size() - 1);
    volume.spacing[2] = std::abs(distance);
    for (int r = 0; r < 3; ++r)
      step[r] =
          (slices.back().position[r] - first.position[r]) / static_cast<double>(slices.size() - 1);
    // One affine places every slice: a gap (a missing slice) or uneven spacing would put the
    // voxels, and any result laid back on them, in the wrong place.
    const double tolerance = std::max(0.01, 0.1 * std::abs(distance));
    for (std::size_t k = 0; k < slices.size(); ++k) {
      double offset = 0;
      for (int r = 0; r < 3; ++r) {
        const double d =
            slices[k].position[r] - first.position[r] - static_cast<double>(k) * step[r];
        offset += d * d;
      }
      if (std::sqrt(offset) > tolerance)
        return fail(ErrorCode::InvalidInput,
                    folder.string() + ": the series' slices are unevenly spaced (slice " +
                        std::to_string(k + 1) + " is " + std::to_string(std::sqrt(offset)) +
                        " mm off; is a slice missing?)");
    }
  }
  setAffine(volume, first.orientation, first.position, step);
  return volume;
}

} // namespace nesa::ingest
