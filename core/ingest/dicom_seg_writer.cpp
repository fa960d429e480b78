// The binary DICOM Segmentation of a label map, through DCMTK's dcmseg.
#include "ingest/internal/dicom_result_parts.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmfg/fgderimg.h>
#include <dcmtk/dcmfg/fgfracon.h>
#include <dcmtk/dcmfg/fgpixmsr.h>
#include <dcmtk/dcmfg/fgplanor.h>
#include <dcmtk/dcmfg/fgplanpo.h>
#include <dcmtk/dcmiod/iodmacro.h>
#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segment.h>

#include <memory>

namespace nesa::ingest::dicom_result {
namespace {

namespace fs = std::filesystem;

CodeSequenceMacro codeMacro(const Code &code) {
  return CodeSequenceMacro(code.value.c_str(), code.scheme.c_str(), code.meaning.c_str());
}

// Where frame `k` came from: the source's image k, or frame k of its one multi-frame image.
FGDerivationImage *derivationOf(const DicomSource &source, std::size_t k, std::size_t slices) {
  const bool multiFrame = source.sopInstanceUids.size() == 1 && slices > 1;
  const std::string &instance = source.sopInstanceUids[multiFrame ? 0 : k];
  ImageSOPInstanceReferenceMacro *reference = nullptr;
  OFVector<Uint16> frames;
  if (multiFrame)
    frames.push_back(static_cast<Uint16>(k + 1));
  if (ImageSOPInstanceReferenceMacro::create(source.sopClassUid.c_str(), instance.c_str(), frames,
                                             reference)
          .bad())
    return nullptr;
  OFVector<ImageSOPInstanceReferenceMacro> images;
  images.push_back(*reference);
  delete reference;
  return FGDerivationImage::createMinimal(
      images, "Segmented by a neural network", CodeSequenceMacro("113076", "DCM", "Segmentation"),
      CodeSequenceMacro("121322", "DCM", "Source image for image processing operation"));
}

} // namespace

Result<void> writeSegmentation(const fs::path &file, const LabelMap &labels,
                               const std::optional<DicomSource> &source, const ResultModel &model,
                               const Equipment &equipment, const ResultUids &uids) {
  const auto &shape = labels.grid.shape;
  const SliceGeometry geometry = sliceGeometry(labels.grid);
  Steps step(file, "SEG");
  DcmSegmentation *created = nullptr;
  step(DcmSegmentation::createBinarySegmentation(
           created, static_cast<Uint16>(shape[1]), static_cast<Uint16>(shape[2]),
           IODGeneralEquipmentModule::EquipmentInfo(
               equipment.manufacturer.c_str(), equipment.modelName.c_str(),
               equipment.serialNumber.c_str(), equipment.softwareVersions.c_str()),
           ContentIdentificationMacro(
               "1", "SEGMENTATION", clipped(equipment.seriesPrefix + model.name, 64).c_str(), "")),
       "create");
  if (!step.ok())
    return step.error();
  std::unique_ptr<DcmSegmentation> seg(created);

  if (source) {
    DcmDataset stand;
    step(putSourceAttributes(stand, *source), "source attributes");
    step(seg->importFromSourceImage(stand), "import the source's patient and study");
  } else {
    step(seg->getStudy().setStudyInstanceUID(uids.study.c_str()), "study");
  }
  step(seg->getFrameOfReference().setFrameOfReferenceUID(uids.frameOfReference.c_str()),
       "frame of reference");
  step(seg->getSeries().setSeriesInstanceUID(uids.segmentationSeries.c_str()), "series");
  step(seg->getSeries().setSeriesNumber("9001"), "series number");
  const std::string description = clipped(equipment.seriesPrefix + model.name, 64);
  step(seg->getSeries().setSeriesDescription(description.c_str()), "series description");
  step(seg->getSOPCommon().setSOPInstanceUID(uids.segmentationInstance.c_str()), "instance");

  FGPixelMeasures measures;
  step(measures.setPixelSpacing(
           (decimal(geometry.rowSpacing) + "\\" + decimal(geometry.columnSpacing)).c_str()),
       "pixel spacing");
  step(measures.setSliceThickness(decimal(geometry.sliceSpacing).c_str()), "slice thickness");
  step(measures.setSpacingBetweenSlices(decimal(geometry.sliceSpacing).c_str()), "slice spacing");
  FGPlaneOrientationPatient orientation;
  const auto &o = geometry.orientation;
  step(orientation.setImageOrientationPatient(decimal(o[0]).c_str(), decimal(o[1]).c_str(),
                                              decimal(o[2]).c_str(), decimal(o[3]).c_str(),
                                              decimal(o[4]).c_str(), decimal(o[5]).c_str()),
       "orientation");
  step(seg->addForAllFrames(measures), "pixel measures");
  step(seg->addForAllFrames(orientation), "plane orientation");

  const std::string dimensions = newUid();
  auto &module = seg->getDimensions();
  step(module.addDimensionIndex(DCM_ReferencedSegmentNumber, dimensions.c_str(),
                                DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
       "segment dimension");
  step(module.addDimensionIndex(DCM_ImagePositionPatient, dimensions.c_str(),
                                DCM_PlanePositionSequence, "ImagePositionPatient"),
       "position dimension");

  const auto sliceSize = static_cast<std::size_t>(shape[1] * shape[2]);
  std::vector<Uint8> frame(sliceSize);
  // All frames' bits, packed as DICOM has them: one after another with no padding between
  // frames, the first pixel in the lowest bit. DCMTK 3.6.7 loses bits of frames that do not
  // start on a byte (any frame whose pixel count is not a multiple of 8, Colin27's 217 × 181
  // among them), so the pixel data it encodes is replaced by these.
  std::vector<Uint8> packed;
  std::size_t packedBits = 0;
  for (std::size_t label = 1; label < model.labels.size() && step.ok(); ++label) {
    const auto [category, type] = segmentCodes(model.labels[label], label);
    DcmSegment *segment = nullptr;
    step(DcmSegment::create(segment, clipped(model.labels[label], 64).c_str(), codeMacro(category),
                            codeMacro(type), DcmSegTypes::SAT_AUTOMATIC,
                            equipment.modelName.c_str()),
         "segment");
    if (!step.ok())
      break;
    Uint16 number = 0;
    if (!step(seg->addSegment(segment, number), "add segment")) {
      delete segment;
      break;
    }
    for (std::size_t k = 0; k < static_cast<std::size_t>(shape[0]) && step.ok(); ++k) {
      const std::uint8_t *slice = labels.labels.data() + k * sliceSize;
      for (std::size_t i = 0; i < sliceSize; ++i)
        frame[i] = slice[i] == label ? 1 : 0;
      packed.resize((packedBits + sliceSize + 7) / 8 + 1, 0);
      for (std::size_t i = 0; i < sliceSize; ++i, ++packedBits)
        if (frame[i] != 0)
          packed[packedBits / 8] |= static_cast<Uint8>(1u << (packedBits % 8));
      FGPlanePosPatient position;
      const auto &p = geometry.positions[k];
      step(position.setImagePositionPatient(decimal(p[0]).c_str(), decimal(p[1]).c_str(),
                                            decimal(p[2]).c_str()),
           "position");
      FGFrameContent content;
      step(content.setDimensionIndexValues(number, 0), "segment index");
      step(content.setDimensionIndexValues(static_cast<Uint32>(k + 1), 1), "position index");
      std::unique_ptr<FGDerivationImage> derivation(
          source ? derivationOf(*source, k, static_cast<std::size_t>(shape[0])) : nullptr);
      if (source && !derivation)
        step(EC_IllegalParameter, "source image reference");
      OFVector<FGBase *> perFrame;
      perFrame.push_back(&position);
      perFrame.push_back(&content);
      if (derivation)
        perFrame.push_back(derivation.get());
      step(seg->addFrame(frame.data(), number, perFrame), "frame");
    }
  }
  if (!step.ok())
    return step.error();

  DcmFileFormat format;
  DcmDataset &dataset = *format.getDataset();
  step(seg->writeDataset(dataset), "encode");
  packed.resize((packedBits + 7) / 8);
  if (packed.size() % 2 != 0)
    packed.push_back(0); // DICOM values have an even length
  step(dataset.putAndInsertUint8Array(DCM_PixelData, packed.data(),
                                      static_cast<unsigned long>(packed.size())),
       "pixel data");
  step(dataset.putAndInsertString(DCM_SpecificCharacterSet, kUtf8CharacterSet), "charset");
  step(addContributingEquipment(dataset, equipment), "contributing equipment");
  if (source)
    step(addReferencedSeries(dataset, *source), "referenced series");
  step(format.saveFile(file.c_str(), EXS_LittleEndianExplicit), "save");
  if (!step.ok())
    return step.error();
  return {};
}

} // namespace nesa::ingest::dicom_result
