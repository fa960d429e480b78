// A segmentation written as DICOM SEG + SR (IHE AIR): validated by dicom3tools' dciodvfy, read
// back by DCMTK and by dcmjs (an independent reader, through Node), with the source's references.
#include "ingest/dicom_reader.h"
#include "ingest/dicom_results.h"
#include "test_dicom.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <dcmtk/dcmseg/segdoc.h>
#include <dcmtk/dcmseg/segutils.h>
#include <dcmtk/dcmsr/dsrdoc.h>

#include <fstream>
#include <iterator>
#include <map>

using namespace nesa;
using namespace nesa::ingest;
namespace fs = std::filesystem;

namespace {

const fs::path kData = NESA_TEST_DATA;
const fs::path kDicomJs = NESA_DICOM_JS_DIR;
// A BLAKE2b-256 digest in hex, as the compiled bundle's id is.
const std::string kVersion = "6f1ed002ab5595859014ebf0951522d9c2d2a5e5d1e7a13b6e7c4a1f0e3d2c1b";

// A label map on `volume`'s grid: class 1 where the voxel is brighter than `threshold`, plus
// class 2 in the first row of every slice (so that both segments have voxels).
LabelMap labelsOn(const Volume &volume, float threshold) {
  LabelMap map;
  map.grid.shape = {volume.shape[0], volume.shape[1], volume.shape[2]};
  map.grid.affine = volume.affine;
  map.grid.coordinateSystem = volume.coordinateSystem;
  map.labels.resize(volume.voxels.size());
  const auto columns = static_cast<std::size_t>(volume.shape[2]);
  const auto slice = static_cast<std::size_t>(volume.shape[1]) * columns;
  for (std::size_t i = 0; i < map.labels.size(); ++i)
    map.labels[i] = (i % slice) < columns ? 2 : volume.voxels[i] > threshold ? 1 : 0;
  return map;
}

ResultModel model() {
  return {"Brain extraction (test)", kVersion, {"background", "brain", "rim"}};
}

// dciodvfy's complaints about `file`: its lines that start with "Error".
QStringList validatorErrors(const fs::path &file) {
  QProcess validator;
  validator.setProcessChannelMode(QProcess::MergedChannels);
  validator.start("dciodvfy", {QString::fromStdString(file.string())});
  if (!validator.waitForFinished(60000) || validator.exitStatus() != QProcess::NormalExit)
    return {"dciodvfy did not run: " + validator.errorString()};
  QStringList errors;
  for (const QString &line : QString::fromUtf8(validator.readAll()).split('\n'))
    if (line.startsWith("Error"))
      errors << line;
  return errors;
}

std::string text(DcmItem &item, const DcmTagKey &key) {
  OFString value;
  item.findAndGetOFString(key, value);
  return value.c_str();
}

} // namespace

class TestDicomResults : public QObject {
  Q_OBJECT

private Q_SLOTS:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    QVERIFY2(!QStandardPaths::findExecutable("dciodvfy").isEmpty(),
             "dciodvfy (dicom3tools) is missing: scripts/install-deps.sh installs it");
    QVERIFY2(fs::exists(kDicomJs / "node_modules" / "dcmjs"),
             "dcmjs is missing: scripts/install-deps.sh installs it");
    const fs::path series = root() / "series";
    testing::writeShuffledSeries(kData / "dicom" / "MR_small.dcm", series,
                                 {"b.dcm", "c.dcm", "a.dcm"});
    QVERIFY(!QTest::currentTestFailed());
    auto volume = readDicomSeries(series);
    QVERIFY2(volume.ok(), volume.ok() ? "" : volume.error().message.c_str());
    m_volume = std::move(*volume);
  }

  // The reader keeps what a result must refer to: the study, the series, each slice's image in
  // the volume's z order, and the patient.
  void theReaderKeepsTheSourceReferences() {
    QVERIFY(m_volume.dicom.has_value());
    const DicomSource &source = *m_volume.dicom;
    QVERIFY(!source.studyInstanceUid.empty());
    QVERIFY(!source.seriesInstanceUid.empty());
    QCOMPARE(source.sopClassUid, std::string("1.2.840.10008.5.1.4.1.1.4")); // MR Image Storage
    // z = -5, 2.5, 10 were written by images 2, 3 and 1.
    QCOMPARE(source.sopInstanceUids,
             (std::vector<std::string>{"1.2.826.0.1.3680043.8.498.7777.2",
                                       "1.2.826.0.1.3680043.8.498.7777.3",
                                       "1.2.826.0.1.3680043.8.498.7777.1"}));
    bool hasName = false;
    for (const auto &[tag, value] : source.patientAndStudy)
      hasName |= tag == 0x00100010 && value == "CompressedSamples^MR1";
    QVERIFY(hasName);
  }

  // The SEG and the SR of a DICOM series: valid, in the source's study, referring to its images,
  // and decoded by DCMTK and by dcmjs to the same voxels and volumes.
  void segAndSrOfASeries() {
    const LabelMap labels = labelsOn(m_volume, 600.0f);
    auto files = writeDicomResults(root() / "out", labels, m_volume.dicom, model());
    QVERIFY2(files.ok(), files.ok() ? "" : files.error().message.c_str());
    QVERIFY(fs::exists(files->segmentation));
    QVERIFY(fs::exists(files->report));
    QCOMPARE(std::distance(fs::directory_iterator(root() / "out"), fs::directory_iterator()), 2);
    QCOMPARE(validatorErrors(files->segmentation), QStringList());
    QCOMPARE(validatorErrors(files->report), QStringList());

    // The volumes: voxel counts times the voxel's size from the source's geometry.
    std::vector<std::int64_t> counts(3, 0);
    for (auto label : labels.labels)
      ++counts[label];
    const double voxel = m_volume.spacing[0] * m_volume.spacing[1] * m_volume.spacing[2] / 1000;
    QCOMPARE(files->millilitres.size(), std::size_t(2));
    QVERIFY(counts[1] > 0 && counts[2] > 0 && counts[0] > 0);
    QVERIFY(std::abs(files->millilitres[0] - static_cast<double>(counts[1]) * voxel) < 1e-9);
    QVERIFY(std::abs(files->millilitres[1] - static_cast<double>(counts[2]) * voxel) < 1e-9);

    checkSegWithDcmtk(files->segmentation, labels, 2);
    checkReferences(files->segmentation, files->report);
    checkWithDcmjs(*files, labels);
  }

  // A NIfTI scan has no study: the results start one, with a new frame of reference, and lay
  // the RAS+ grid out in DICOM's LPS+.
  void aNiftiScanStartsANewStudy() {
    LabelMap labels;
    labels.grid.shape = {2, 3, 5}; // 15 pixels a frame: the bits of frames share bytes
    labels.grid.coordinateSystem = "RAS";
    labels.grid.affine = {{{2, 0, 0, 10}, {0, 1.5, 0, 20}, {0, 0, 4, 30}, {0, 0, 0, 1}}};
    labels.labels.assign(30, 0);
    labels.labels[5] = labels.labels[17] = labels.labels[18] = 1;
    ResultModel brain = model();
    brain.labels = {"background", "brain"};
    auto files = writeDicomResults(root() / "nifti", labels, std::nullopt, brain);
    QVERIFY2(files.ok(), files.ok() ? "" : files.error().message.c_str());
    QCOMPARE(validatorErrors(files->segmentation), QStringList());
    QCOMPARE(validatorErrors(files->report), QStringList());
    QVERIFY(std::abs(files->millilitres[0] - 3 * 12.0 / 1000) < 1e-12);
    checkSegWithDcmtk(files->segmentation, labels, 1);
    DcmFileFormat seg;
    QVERIFY(seg.loadFile(files->segmentation.c_str()).good());
    DcmDataset &data = *seg.getDataset();
    QVERIFY(text(data, DCM_StudyInstanceUID).rfind("2.25.", 0) == 0);
    QVERIFY(!text(data, DCM_FrameOfReferenceUID).empty());
    QCOMPARE(text(data, DCM_PatientName), std::string());
    DcmItem *frame = nullptr, *plane = nullptr;
    QVERIFY(data.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, 1).good());
    QVERIFY(frame->findAndGetSequenceItem(DCM_PlanePositionSequence, plane).good());
    OFString position;
    QVERIFY(plane->findAndGetOFStringArray(DCM_ImagePositionPatient, position).good());
    QCOMPARE(std::string(position.c_str()), std::string("-10\\-20\\34")); // slice 2, in LPS
    DcmItem *shared = nullptr, *measures = nullptr, *orientation = nullptr;
    QVERIFY(data.findAndGetSequenceItem(DCM_SharedFunctionalGroupsSequence, shared).good());
    QVERIFY(shared->findAndGetSequenceItem(DCM_PixelMeasuresSequence, measures).good());
    QVERIFY(shared->findAndGetSequenceItem(DCM_PlaneOrientationSequence, orientation).good());
    OFString spacing, cosines;
    QVERIFY(measures->findAndGetOFStringArray(DCM_PixelSpacing, spacing).good());
    QCOMPARE(std::string(spacing.c_str()), std::string("1.5\\2")); // between rows, then columns
    QVERIFY(orientation->findAndGetOFStringArray(DCM_ImageOrientationPatient, cosines).good());
    QCOMPARE(std::string(cosines.c_str()), std::string("-1\\0\\0\\0\\-1\\0"));
    QCOMPARE(text(data, DCM_SeriesDescription),
             std::string("Not for diagnostic use: Brain extraction (test)"));
  }

  // Bad input is refused before anything is written; a folder that cannot be made is an error.
  void badInputWritesNothing() {
    LabelMap labels = labelsOn(m_volume, 600.0f);
    const fs::path out = root() / "refused";
    labels.labels.pop_back();
    QCOMPARE(writeDicomResults(out, labels, m_volume.dicom, model()).error().code,
             ErrorCode::InvalidInput);
    labels.labels.push_back(0);
    ResultModel wrong = model();
    wrong.version = "not-a-digest";
    QCOMPARE(writeDicomResults(out, labels, m_volume.dicom, wrong).error().code,
             ErrorCode::InvalidInput);
    wrong = model();
    wrong.labels = {"background"};
    QCOMPARE(writeDicomResults(out, labels, m_volume.dicom, wrong).error().code,
             ErrorCode::InvalidInput);
    DicomSource shortSeries = *m_volume.dicom;
    shortSeries.sopInstanceUids.pop_back();
    const auto refused = writeDicomResults(out, labels, shortSeries, model());
    QCOMPARE(refused.error().code, ErrorCode::InvalidInput);
    QVERIFY2(refused.error().message.find("2 images for 3 slices") != std::string::npos,
             refused.error().message.c_str());
    QVERIFY(!fs::exists(out));

    std::ofstream(root() / "a-file") << "in the way";
    QCOMPARE(
        writeDicomResults(root() / "a-file" / "out", labels, m_volume.dicom, model()).error().code,
        ErrorCode::Io);
  }

  // A series whose slices are not parallel is refused with the reason, not stacked.
  void aSeriesOfMixedGeometryIsRefused() {
    const fs::path series = root() / "mixed";
    testing::writeShuffledSeries(kData / "dicom" / "MR_small.dcm", series,
                                 {"1.dcm", "2.dcm", "3.dcm"});
    DcmFileFormat format;
    QVERIFY(format.loadFile((series / "2.dcm").c_str()).good());
    QVERIFY(format.loadAllDataIntoMemory().good()); // it is saved over the file it came from
    QVERIFY(format.getDataset()
                ->putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\0\\1")
                .good());
    QVERIFY(format.saveFile((series / "2.dcm").c_str(), EXS_LittleEndianExplicit).good());
    const auto volume = readDicomSeries(series);
    QVERIFY(!volume.ok());
    QCOMPARE(volume.error().code, ErrorCode::InvalidInput);
    QVERIFY2(volume.error().message.find("not parallel") != std::string::npos,
             volume.error().message.c_str());
  }

  // `nesa analyze --output-dicom` on a DICOM series: the built-in brain model's result lands in
  // the series' own study; a folder that cannot be made fails the command with its reason.
  void theCommandLineWritesResultsIntoTheStudy() {
    const fs::path out = root() / "cli";
    QProcess nesa;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("NESA_HOME", QString::fromStdString((root() / "home").string()));
    nesa.setProcessEnvironment(environment);
    const QStringList common{"analyze",       QString::fromStdString((root() / "series").string()),
                             "--model",       "brain-extraction",
                             "--privacy",     "local",
                             "--output-dicom"};
    nesa.start(NESA_CLI_PATH, common + QStringList{QString::fromStdString(out.string())});
    QVERIFY(nesa.waitForFinished(120000));
    QVERIFY2(nesa.exitCode() == 0, nesa.readAllStandardError().constData());
    QVERIFY(QString::fromUtf8(nesa.readAllStandardOutput()).contains("DICOM SEG "));
    std::vector<fs::path> written{fs::directory_iterator(out), fs::directory_iterator()};
    QCOMPARE(written.size(), std::size_t(2));
    for (const auto &file : written) {
      QCOMPARE(validatorErrors(file), QStringList());
      DcmFileFormat format;
      QVERIFY(format.loadFile(file.c_str()).good());
      QCOMPARE(text(*format.getDataset(), DCM_StudyInstanceUID), m_volume.dicom->studyInstanceUid);
    }
    std::ofstream(root() / "a-file-too") << "in the way";
    nesa.start(NESA_CLI_PATH, common + QStringList{QString::fromStdString(
                                           (root() / "a-file-too" / "out").string())});
    QVERIFY(nesa.waitForFinished(120000));
    QVERIFY(nesa.exitCode() != 0);
    QVERIFY(QString::fromUtf8(nesa.readAllStandardError()).contains("is not a folder"));
  }

private:
  fs::path root() const { return fs::path(m_dir.path().toStdString()); }

  // DCMTK's dcmseg reads the SEG back: one segment per class, a frame per slice and segment,
  // bits equal to the labels.
  void checkSegWithDcmtk(const fs::path &file, const LabelMap &labels, std::size_t segments) {
    DcmSegmentation *loaded = nullptr;
    QVERIFY(DcmSegmentation::loadFile(file.c_str(), loaded).good());
    std::unique_ptr<DcmSegmentation> seg(loaded);
    QCOMPARE(seg->getNumberOfSegments(), segments);
    const auto slices = static_cast<std::size_t>(labels.grid.shape[0]);
    const auto rows = static_cast<Uint16>(labels.grid.shape[1]);
    const auto columns = static_cast<Uint16>(labels.grid.shape[2]);
    QCOMPARE(seg->getNumberOfFrames(), segments * slices);
    const std::size_t sliceSize = std::size_t(rows) * columns;
    for (std::size_t f = 0; f < segments * slices; ++f) {
      const std::size_t segment = f / slices + 1, k = f % slices;
      std::unique_ptr<DcmIODTypes::Frame> bits(
          DcmSegUtils::unpackBinaryFrame(seg->getFrame(f), rows, columns));
      QVERIFY(bits != nullptr);
      for (std::size_t i = 0; i < sliceSize; ++i)
        QCOMPARE(bits->pixData[i] != 0, labels.labels[k * sliceSize + i] == segment);
    }
  }

  // Both objects name the source study, series and images, and the AIR contributing equipment;
  // the SR refers to the SEG's segments.
  void checkReferences(const fs::path &segFile, const fs::path &srFile) {
    const DicomSource &source = *m_volume.dicom;
    DcmFileFormat seg, sr;
    QVERIFY(seg.loadFile(segFile.c_str()).good());
    QVERIFY(sr.loadFile(srFile.c_str()).good());
    DcmDataset &segData = *seg.getDataset(), &srData = *sr.getDataset();
    for (DcmDataset *data : {&segData, &srData}) {
      QCOMPARE(text(*data, DCM_StudyInstanceUID), source.studyInstanceUid);
      QCOMPARE(text(*data, DCM_PatientName), std::string("CompressedSamples^MR1"));
      DcmItem *equipment = nullptr;
      QVERIFY(data->findAndGetSequenceItem(DCM_ContributingEquipmentSequence, equipment).good());
      QVERIFY(text(*equipment, DCM_DeviceUID).rfind("2.25.", 0) == 0);
      QCOMPARE(text(*equipment, DCM_ManufacturerModelName), model().name);
    }
    QCOMPARE(text(segData, DCM_FrameOfReferenceUID), source.frameOfReferenceUid);
    DcmItem *series = nullptr;
    QVERIFY(segData.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, series).good());
    QCOMPARE(text(*series, DCM_SeriesInstanceUID), source.seriesInstanceUid);
    // Each frame names the source image of its slice, and lies where that image lies: the
    // images were written at z = 10, -5, 2.5 as instances 1, 2, 3.
    const std::map<std::string, std::string> zOfImage{{"1.2.826.0.1.3680043.8.498.7777.1", "10"},
                                                      {"1.2.826.0.1.3680043.8.498.7777.2", "-5"},
                                                      {"1.2.826.0.1.3680043.8.498.7777.3", "2.5"}};
    for (unsigned long f = 0; f < 6; ++f) {
      DcmItem *derivation = nullptr, *image = nullptr, *frame = nullptr, *plane = nullptr;
      QVERIFY(
          segData.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, f).good());
      QVERIFY(frame->findAndGetSequenceItem(DCM_DerivationImageSequence, derivation).good());
      QVERIFY(derivation->findAndGetSequenceItem(DCM_SourceImageSequence, image).good());
      QVERIFY(!image->tagExists(DCM_ReferencedFrameNumber)); // single-frame images
      QVERIFY(frame->findAndGetSequenceItem(DCM_PlanePositionSequence, plane).good());
      OFString z;
      QVERIFY(plane->findAndGetOFString(DCM_ImagePositionPatient, z, 2).good());
      const std::string uid = text(*image, DCM_ReferencedSOPInstanceUID);
      QVERIFY(zOfImage.count(uid) == 1);
      QCOMPARE(std::string(z.c_str()), zOfImage.at(uid));
    }
    QCOMPARE(text(segData, DCM_SpecificCharacterSet), std::string("ISO_IR 192"));
    QCOMPARE(text(srData, DCM_SpecificCharacterSet), std::string("ISO_IR 192"));
    DSRDocument report;
    QVERIFY(report.read(srData).good());
    QCOMPARE(report.getDocumentType(), DSRTypes::DT_ComprehensiveSR);
    // The same model version gives the same device UID, a new one another.
    ResultModel next = model();
    next.version = std::string(64, 'a');
    LabelMap labels = labelsOn(m_volume, 600.0f);
    auto again = writeDicomResults(root() / "again", labels, m_volume.dicom, model());
    auto other = writeDicomResults(root() / "other", labels, m_volume.dicom, next);
    QVERIFY(again.ok() && other.ok());
    QCOMPARE(deviceUid(again->segmentation), deviceUid(segFile));
    QVERIFY(deviceUid(other->segmentation) != deviceUid(segFile));
  }

  static std::string deviceUid(const fs::path &file) {
    DcmFileFormat format;
    DcmItem *equipment = nullptr;
    if (format.loadFile(file.c_str()).bad() ||
        format.getDataset()
            ->findAndGetSequenceItem(DCM_ContributingEquipmentSequence, equipment)
            .bad())
      return {};
    return text(*equipment, DCM_DeviceUID);
  }

  // dcmjs, through Node, decodes the SEG's bits and positions and the SR's volumes.
  void checkWithDcmjs(const DicomResultFiles &files, const LabelMap &labels) {
    const fs::path bits = root() / "dcmjs-labels.bin";
    QProcess node;
    node.start("node", {QString::fromStdString((kDicomJs / "read_results.cjs").string()),
                        QString::fromStdString(files.segmentation.string()),
                        QString::fromStdString(files.report.string()),
                        QString::fromStdString(bits.string())});
    QVERIFY(node.waitForFinished(60000));
    QVERIFY2(node.exitCode() == 0, node.readAllStandardError().constData());
    const QJsonObject decoded = QJsonDocument::fromJson(node.readAllStandardOutput()).object();
    const auto slices = static_cast<std::size_t>(labels.grid.shape[0]);
    const std::size_t sliceSize =
        static_cast<std::size_t>(labels.grid.shape[1] * labels.grid.shape[2]);
    QCOMPARE(decoded["frames"].toInt(), static_cast<int>(2 * slices));
    QCOMPARE(decoded["studyUid"].toString().toStdString(), m_volume.dicom->studyInstanceUid);
    QCOMPARE(decoded["srStudyUid"].toString().toStdString(), m_volume.dicom->studyInstanceUid);
    QCOMPARE(decoded["srSopClass"].toString(), QString("1.2.840.10008.5.1.4.1.1.88.33"));
    std::ifstream in(bits, std::ios::binary);
    const std::vector<char> decodedBits((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
    QCOMPARE(decodedBits.size(), 2 * slices * sliceSize);
    const QJsonArray perFrame = decoded["perFrame"].toArray();
    for (std::size_t f = 0; f < 2 * slices; ++f) {
      const QJsonObject frame = perFrame[static_cast<int>(f)].toObject();
      const auto segment = static_cast<std::size_t>(frame["segment"].toInt());
      // The frame's position names its slice: z of slice k is the affine's origin plus k steps.
      const double z = frame["position"].toArray()[2].toDouble();
      const auto k = static_cast<std::size_t>(
          std::lround((z - m_volume.affine[2][3]) / m_volume.affine[2][2]));
      QVERIFY(k < slices);
      for (std::size_t i = 0; i < sliceSize; ++i)
        QCOMPARE(decodedBits[f * sliceSize + i] != 0, labels.labels[k * sliceSize + i] == segment);
    }
    const QJsonArray volumes = decoded["volumes"].toArray();
    QCOMPARE(volumes.size(), 2);
    for (const auto &entry : volumes) {
      const QJsonObject volume = entry.toObject();
      const int segment = volume["segment"].toInt();
      QVERIFY(segment == 1 || segment == 2);
      QVERIFY(std::abs(volume["millilitres"].toDouble() -
                       files.millilitres[static_cast<std::size_t>(segment - 1)]) < 1e-6);
    }
  }

  QTemporaryDir m_dir;
  Volume m_volume;
};

QTEST_GUILESS_MAIN(TestDicomResults)
#include "tst_dicom_results.moc"
