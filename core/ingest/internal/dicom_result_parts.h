// What the DICOM SEG and SR writers share: UIDs, the slices' geometry in LPS, the equipment that
// made the result, and the attributes copied from the source scan. DCMTK types only in here.
#pragma once

#include "ingest/dicom_results.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdatset.h>
#include <dcmtk/dcmdata/dcitem.h>

#include <array>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace nesa::ingest::dicom_result {

/// Follows a chain of DCMTK calls and keeps the first failure, named by its step; a call made
/// after a failure is judged no more.
class Steps {
public:
  /// `object` names what is written ("SEG", "SR") in the error.
  Steps(std::filesystem::path file, std::string object)
      : m_file(std::move(file)), m_object(std::move(object)) {}
  /// Records `status` of `step`; true while nothing has failed.
  bool operator()(const OFCondition &status, const char *step);
  bool ok() const { return m_error.empty(); }
  /// The first failure, as an Io error.
  Error error() const { return Error{ErrorCode::Io, m_error}; }

private:
  std::filesystem::path m_file;
  std::string m_object;
  std::string m_error;
};

/// A new UID under the 2.25 arc (a random 128-bit number, ITU-T X.667).
std::string newUid();

/// A UID under 2.25 derived from the first 32 hex digits of `digest`: the same digest, the same
/// UID. Empty when `digest` holds fewer than 32 hex digits.
std::string uidFromDigest(const std::string &digest);

/// A number written as a DICOM decimal string (at most 16 characters).
std::string decimal(double value);

/// `text` as one DICOM text value: backslashes and control characters become spaces, the ends
/// are trimmed, and it is cut to `limit` bytes (LO is 64, SH 16), never inside a UTF-8 character.
std::string clipped(const std::string &text, std::size_t limit);

/// Where each slice of a grid lies in the patient coordinate system (LPS+, as DICOM has it).
struct SliceGeometry {
  std::array<double, 6> orientation{};          ///< row direction (along x), then column direction
  double rowSpacing = 1;                        ///< between rows (along y), mm
  double columnSpacing = 1;                     ///< between columns (along x), mm
  double sliceSpacing = 1;                      ///< between slices, mm
  std::vector<std::array<double, 3>> positions; ///< of each slice's first voxel
  double voxelMillilitres = 0;                  ///< volume of one voxel
};

/// The geometry of `grid`, turned into LPS+ when the grid is RAS+ (a NIfTI scan).
SliceGeometry sliceGeometry(const VoxelGrid &grid);

/// The equipment that made the result, as both objects name it.
struct Equipment {
  std::string manufacturer;     ///< "Nesa"
  std::string modelName;        ///< the model's name (LO)
  std::string serialNumber;     ///< the model version's first 16 hex digits
  std::string softwareVersions; ///< Nesa's version and the model version
  std::string deviceUid;        ///< from the model version: changes with the weights
  /// "Not for diagnostic use: " for research models, else "": the series descriptions start
  /// with it, so that cutting a long model name to the 64 characters DICOM allows keeps it.
  std::string seriesPrefix;
};

/// The equipment for `model`. InvalidInput when its version is not a hex digest.
Result<Equipment> equipmentFor(const ResultModel &model);

/// Adds the IHE AIR Contributing Equipment Sequence (purpose: processing equipment).
OFCondition addContributingEquipment(DcmItem &dataset, const Equipment &equipment);

/// Puts the source's patient and study attributes, study UID and frame of reference into
/// `dataset` (a stand-in for a source image that DCMTK imports from), converted to UTF-8 with
/// Specific Character Set ISO_IR 192: our own text (model and label names) is UTF-8 too.
OFCondition putSourceAttributes(DcmDataset &dataset, const DicomSource &source);

/// The character set both objects declare: UTF-8.
inline constexpr const char *kUtf8CharacterSet = "ISO_IR 192";

/// Adds the Referenced Series Sequence (Common Instance Reference module) naming the source's
/// images.
OFCondition addReferencedSeries(DcmItem &dataset, const DicomSource &source);

/// A coded concept: value, scheme, meaning.
struct Code {
  std::string value, scheme, meaning;
};

/// The SNOMED CT category and type of a segment named `label` (class `index`); labels we do not
/// know get a private code ("99NESA") with the label as its meaning.
std::pair<Code, Code> segmentCodes(const std::string &label, std::size_t index);

/// The UIDs the two objects share or refer to each other by.
struct ResultUids {
  std::string study;            ///< the source's study, or a new one
  std::string frameOfReference; ///< the source's, or a new one
  std::string segmentationSeries, segmentationInstance;
  std::string reportSeries, reportInstance;
};

/// Writes the binary DICOM SEG of `labels` to `file`.
Result<void> writeSegmentation(const std::filesystem::path &file, const LabelMap &labels,
                               const std::optional<DicomSource> &source, const ResultModel &model,
                               const Equipment &equipment, const ResultUids &uids);

/// Writes the Comprehensive SR (TID 1500) stating `millilitres` of each segment to `file`.
Result<void> writeMeasurementReport(const std::filesystem::path &file,
                                    const std::vector<double> &millilitres,
                                    const std::optional<DicomSource> &source,
                                    const ResultModel &model, const Equipment &equipment,
                                    const ResultUids &uids);

} // namespace nesa::ingest::dicom_result
