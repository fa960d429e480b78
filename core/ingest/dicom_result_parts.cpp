#include "ingest/internal/dicom_result_parts.h"

#include "util/version.h"

#include <dcmtk/dcmdata/dcdeftag.h>

#include <cmath>
#include <cstdio>
#include <random>

namespace nesa::ingest::dicom_result {
namespace {

__extension__ typedef unsigned __int128 Uint128;

std::string uidOf(Uint128 value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  } while (value != 0);
  return "2.25." + digits;
}

OFCondition putCode(DcmItem &item, const Code &code) {
  OFCondition status = item.putAndInsertString(DCM_CodeValue, code.value.c_str());
  if (status.good())
    status = item.putAndInsertString(DCM_CodingSchemeDesignator, code.scheme.c_str());
  if (status.good())
    status = item.putAndInsertString(DCM_CodeMeaning, code.meaning.c_str());
  return status;
}

} // namespace

bool Steps::operator()(const OFCondition &status, const char *step) {
  if (m_error.empty() && status.bad())
    m_error = m_file.string() + ": cannot write the DICOM " + m_object + " (" + step + ": " +
              status.text() + ")";
  return m_error.empty();
}

std::string newUid() {
  std::random_device device;
  Uint128 value = 0;
  for (int i = 0; i < 4; ++i)
    value = value << 32 | static_cast<Uint128>(device());
  return uidOf(value);
}

std::string uidFromDigest(const std::string &digest) {
  if (digest.size() < 32)
    return {};
  Uint128 value = 0;
  for (std::size_t i = 0; i < 32; ++i) {
    const char c = digest[i];
    int nibble = c >= '0' && c <= '9'   ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                        : -1;
    if (nibble < 0)
      return {};
    value = value << 4 | static_cast<Uint128>(nibble);
  }
  return uidOf(value);
}

std::string decimal(double value) {
  if (std::abs(value) < 1e-9)
    value = 0; // no "-0" or "1e-17" for what is zero up to rounding
  char text[32];
  for (int digits = 10; digits > 1; --digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::string(text).size() <= 16)
      return text;
  }
  return text;
}

std::string clipped(const std::string &text, std::size_t limit) {
  std::string clean = text;
  for (char &c : clean)
    if (c == '\\' || static_cast<unsigned char>(c) < 0x20)
      c = ' '; // a backslash would split the value in two; control characters are not allowed
  const auto first = clean.find_first_not_of(' ');
  if (first == std::string::npos)
    return {};
  clean = clean.substr(first, clean.find_last_not_of(' ') - first + 1);
  if (clean.size() <= limit)
    return clean;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(clean[end]) & 0xC0) == 0x80)
    --end; // clean[end] continues a UTF-8 character: cut before the character starts
  return clean.substr(0, end);
}

SliceGeometry sliceGeometry(const VoxelGrid &grid) {
  auto a = grid.affine;
  if (grid.coordinateSystem == "RAS")
    for (int c = 0; c < 4; ++c)
      a[0][c] = -a[0][c], a[1][c] = -a[1][c];
  auto length = [&](int c) {
    return std::sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
  };
  SliceGeometry geometry;
  geometry.columnSpacing = length(0);
  geometry.rowSpacing = length(1);
  geometry.sliceSpacing = length(2);
  for (int r = 0; r < 3; ++r) {
    geometry.orientation[r] = a[r][0] / geometry.columnSpacing;
    geometry.orientation[3 + r] = a[r][1] / geometry.rowSpacing;
  }
  for (std::int64_t k = 0; k < grid.shape[0]; ++k) {
    const auto z = static_cast<double>(k);
    geometry.positions.push_back(
        {a[0][3] + z * a[0][2], a[1][3] + z * a[1][2], a[2][3] + z * a[2][2]});
  }
  // The voxel's volume is the affine's determinant (the three steps need not be orthogonal).
  const double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                     a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                     a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  geometry.voxelMillilitres = std::abs(det) / 1000.0;
  return geometry;
}

Result<Equipment> equipmentFor(const ResultModel &model) {
  Equipment equipment;
  equipment.deviceUid = uidFromDigest(model.version);
  if (equipment.deviceUid.empty())
    return fail(ErrorCode::InvalidInput,
                "the model version must be a hex digest of at least 32 digits, not \"" +
                    model.version + "\"");
  if (model.name.empty())
    return fail(ErrorCode::InvalidInput, "the model has no name to put in the result");
  equipment.manufacturer = "Nesa";
  equipment.modelName = clipped(model.name, 64);
  equipment.serialNumber = model.version.substr(0, 16);
  equipment.softwareVersions = std::string("Nesa ") + kVersion + "\\" + model.version.substr(0, 16);
  equipment.seriesPrefix = model.research ? "Not for diagnostic use: " : "";
  return equipment;
}

OFCondition addContributingEquipment(DcmItem &dataset, const Equipment &equipment) {
  DcmItem *item = nullptr;
  OFCondition status =
      dataset.findOrCreateSequenceItem(DCM_ContributingEquipmentSequence, item, -2);
  if (status.bad())
    return status;
  for (const auto &[key, value] : {std::pair{DCM_Manufacturer, equipment.manufacturer},
                                   {DCM_ManufacturerModelName, equipment.modelName},
                                   {DCM_DeviceSerialNumber, equipment.serialNumber},
                                   {DCM_SoftwareVersions, equipment.softwareVersions},
                                   {DCM_DeviceUID, equipment.deviceUid}}) {
    status = item->putAndInsertString(key, value.c_str());
    if (status.bad())
      return status;
  }
  DcmItem *purpose = nullptr;
  status = item->findOrCreateSequenceItem(DCM_PurposeOfReferenceCodeSequence, purpose, -2);
  return status.good() ? putCode(*purpose, {"109102", "DCM", "Processing Equipment"}) : status;
}

OFCondition putSourceAttributes(DcmDataset &dataset, const DicomSource &source) {
  OFCondition status = EC_Normal;
  for (const auto &[tag, value] : source.patientAndStudy) {
    const DcmTagKey key(static_cast<Uint16>(tag >> 16), static_cast<Uint16>(tag & 0xFFFF));
    status = dataset.putAndInsertString(key, value.c_str());
    if (status.bad())
      return status;
  }
  status = dataset.putAndInsertString(DCM_StudyInstanceUID, source.studyInstanceUid.c_str());
  if (status.good() && !source.frameOfReferenceUid.empty())
    status =
        dataset.putAndInsertString(DCM_FrameOfReferenceUID, source.frameOfReferenceUid.c_str());
  if (status.good())
    status = dataset.convertToUTF8(); // from the source's declared character set
  if (status.good())
    status = dataset.putAndInsertString(DCM_SpecificCharacterSet, kUtf8CharacterSet);
  return status;
}

OFCondition addReferencedSeries(DcmItem &dataset, const DicomSource &source) {
  DcmItem *series = nullptr;
  OFCondition status = dataset.findOrCreateSequenceItem(DCM_ReferencedSeriesSequence, series, -2);
  if (status.good())
    status = series->putAndInsertString(DCM_SeriesInstanceUID, source.seriesInstanceUid.c_str());
  for (const auto &uid : source.sopInstanceUids) {
    DcmItem *instance = nullptr;
    if (status.good())
      status = series->findOrCreateSequenceItem(DCM_ReferencedInstanceSequence, instance, -2);
    if (status.good())
      status = instance->putAndInsertString(DCM_ReferencedSOPClassUID, source.sopClassUid.c_str());
    if (status.good())
      status = instance->putAndInsertString(DCM_ReferencedSOPInstanceUID, uid.c_str());
  }
  return status;
}

std::pair<Code, Code> segmentCodes(const std::string &label, std::size_t index) {
  const Code anatomy{"91723000", "SCT", "Anatomical Structure"};
  const Code altered{"49755003", "SCT", "Morphologically Altered Structure"};
  if (label == "brain")
    return {anatomy, {"12738006", "SCT", "Brain"}};
  if (label == "lesion")
    return {altered, {"52988006", "SCT", "Lesion"}};
  return {{"85756007", "SCT", "Tissue"},
          {"CLASS" + std::to_string(index), "99NESA", clipped(label, 64)}};
}

} // namespace nesa::ingest::dicom_result
