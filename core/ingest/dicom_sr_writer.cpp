// The Comprehensive SR of a segmentation's volumes: a TID 1500 measurement report through
// DCMTK's dcmsr, one TID 1411 volumetric group per segment of the SEG.
#include "ingest/internal/dicom_result_parts.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/cmr/tid1500.h>
#include <dcmtk/dcmsr/codes/dcm.h>
#include <dcmtk/dcmsr/dsrdoc.h>

namespace nesa::ingest::dicom_result {
namespace {

namespace fs = std::filesystem;

DSRCodedEntryValue coded(const Code &code) {
  return DSRCodedEntryValue(code.value.c_str(), code.scheme.c_str(), code.meaning.c_str());
}

} // namespace

Result<void> writeMeasurementReport(const fs::path &file, const std::vector<double> &millilitres,
                                    const std::optional<DicomSource> &source,
                                    const ResultModel &model, const Equipment &equipment,
                                    const ResultUids &uids) {
  Steps step(file, "SR");
  TID1500_MeasurementReport report(CMR_CID7021::ImagingMeasurementReport);
  step(report.setLanguage(CID5000_Languages::English), "language");
  step(report.getObservationContext().addDeviceObserver(
           equipment.deviceUid.c_str(), equipment.modelName.c_str(), equipment.manufacturer.c_str(),
           equipment.modelName.c_str(), equipment.serialNumber.c_str()),
       "device observer");
  step(report.addProcedureReported(DSRCodedEntryValue("363679005", "SCT", "Imaging procedure"),
                                   OFFalse),
       "procedure");
  const DSRCodedEntryValue volume("118565006", "SCT", "Volume");
  const DSRCodedEntryValue millilitre("mL", "UCUM", "milliliter");
  for (std::size_t s = 0; s < millilitres.size() && step.ok(); ++s) {
    const std::size_t label = s + 1;
    if (s > 0)
      step(report.addVolumetricROIMeasurements(OFFalse), "measurement group");
    auto &group = report.getVolumetricROIMeasurements();
    step(group.setTrackingIdentifier(clipped(model.labels[label], 64).c_str()), "tracking id");
    step(group.setTrackingUniqueIdentifier(newUid().c_str()), "tracking uid");
    DSRImageReferenceValue segment(UID_SegmentationStorage, uids.segmentationInstance.c_str());
    segment.getSegmentList().addItem(static_cast<Uint16>(label));
    step(group.setReferencedSegment(segment), "referenced segment");
    if (source) // a NIfTI scan has no series to name
      step(group.setSourceSeriesForSegmentation(source->seriesInstanceUid.c_str()),
           "source series");
    step(group.setFinding(coded(segmentCodes(model.labels[label], label).second), OFFalse),
         "finding");
    step(group.addMeasurement(
             CID7469_GenericIntensityAndSizeMeasurements(volume),
             CMR_TID1411_in_TID1500::MeasurementValue(
                 decimal(millilitres[s]).c_str(),
                 CID7181_AbstractMultiDimensionalImageModelComponentUnits(millilitre)),
             OFTrue, OFFalse),
         "volume");
    step(group.getMeasurement().setAlgorithmIdentification(equipment.modelName.c_str(),
                                                           equipment.serialNumber.c_str()),
         "algorithm");
  }
  if (!step.ok())
    return step.error();

  DSRDocument document;
  step(document.setTreeFromRootTemplate(report, OFTrue), "tree");
  step(document.changeDocumentType(DSRTypes::DT_ComprehensiveSR), "document type");
  if (source) {
    DcmDataset stand;
    step(putSourceAttributes(stand, *source), "source attributes");
    step(document.readPatientData(stand), "patient");
    step(document.readStudyData(stand), "study");
  }
  step(document.createNewSeriesInStudy(uids.study.c_str()), "study");
  step(document.setSeriesNumber("9002"), "series number");
  const std::string description = clipped(equipment.seriesPrefix + model.name, 64);
  step(document.setSeriesDescription(description.c_str()), "series description");
  step(document.setManufacturer(equipment.manufacturer.c_str()), "manufacturer");
  step(document.setManufacturerModelName(equipment.modelName.c_str()), "model name");
  step(document.setDeviceSerialNumber(equipment.serialNumber.c_str()), "serial number");
  step(document.setSoftwareVersions(equipment.softwareVersions.c_str()), "software versions");
  step(document.getCurrentRequestedProcedureEvidence().addItem(
           uids.study.c_str(), uids.segmentationSeries.c_str(), UID_SegmentationStorage,
           uids.segmentationInstance.c_str()),
       "evidence");
  if (source)
    for (const auto &uid : source->sopInstanceUids)
      step(document.getCurrentRequestedProcedureEvidence().addItem(
               uids.study.c_str(), source->seriesInstanceUid.c_str(), source->sopClassUid.c_str(),
               uid.c_str()),
           "evidence");
  if (!step.ok())
    return step.error();

  DcmFileFormat format;
  DcmDataset &dataset = *format.getDataset();
  step(document.write(dataset), "encode");
  // The series and instance UIDs are ours (2.25), not the toolkit's.
  step(dataset.putAndInsertString(DCM_SeriesInstanceUID, uids.reportSeries.c_str()), "series");
  step(dataset.putAndInsertString(DCM_SOPInstanceUID, uids.reportInstance.c_str()), "instance");
  step(dataset.putAndInsertString(DCM_SpecificCharacterSet, kUtf8CharacterSet), "charset");
  step(addContributingEquipment(dataset, equipment), "contributing equipment");
  step(format.saveFile(file.c_str(), EXS_LittleEndianExplicit), "save");
  if (!step.ok())
    return step.error();
  return {};
}

} // namespace nesa::ingest::dicom_result
