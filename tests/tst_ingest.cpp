// Reading real scans: DICOM files from pydicom's and NIfTI volumes from nibabel's test data
// (fetched by scripts/fetch-test-data.sh), checked against independent readings of the files.
#include "ingest/dicom_reader.h"
#include "ingest/nifti_reader.h"
#include "test_dicom.h"

#include <QTemporaryDir>
#include <QTest>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcddirif.h>
#include <dcmtk/dcmdata/dctk.h>

#include <cstring>
#include <fstream>
#include <iterator>

using namespace nesa;
using namespace nesa::ingest;
namespace fs = std::filesystem;
using nesa::testing::writeShuffledSeries;

namespace {

const fs::path kData = NESA_TEST_DATA;

std::vector<char> readAll(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

template <typename T> T field(const std::vector<char> &bytes, std::size_t offset, bool swap) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  if (swap) {
    auto *b = reinterpret_cast<unsigned char *>(&value);
    std::reverse(b, b + sizeof value);
  }
  return value;
}

} // namespace

class TestIngest : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;

private Q_SLOTS:
  // anatomical.nii is a big-endian NIfTI-1 int16 volume: read its header and voxels by hand and
  // compare every voxel with what the reader returns.
  void niftiMatchesAnIndependentReading() {
    const auto file = kData / "nifti" / "anatomical.nii";
    auto volume = readNifti(file);
    QVERIFY2(volume.ok(), volume.ok() ? "" : volume.error().message.c_str());
    const auto bytes = readAll(file);
    const bool swap = field<std::int16_t>(bytes, 40, false) > 7;
    const auto nx = field<std::int16_t>(bytes, 42, swap), ny = field<std::int16_t>(bytes, 44, swap),
               nz = field<std::int16_t>(bytes, 46, swap);
    QCOMPARE(field<std::int16_t>(bytes, 70, swap), std::int16_t{4}); // DT_INT16
    QCOMPARE(volume->shape, (std::vector<std::int64_t>{nz, ny, nx}));
    QCOMPARE(QString::fromStdString(volume->format), QStringLiteral("NIfTI-1"));
    const auto offset = static_cast<std::size_t>(field<float>(bytes, 108, swap));
    float slope = field<float>(bytes, 112, swap), intercept = field<float>(bytes, 116, swap);
    if (slope == 0) {
      slope = 1;
      intercept = 0;
    }
    for (std::int64_t i = 0; i < volume->count(); ++i) {
      const auto raw = field<std::int16_t>(bytes, offset + 2 * static_cast<std::size_t>(i), swap);
      QCOMPARE(volume->voxels[static_cast<std::size_t>(i)], raw * slope + intercept);
    }
    QCOMPARE(volume->spacing[0], static_cast<double>(field<float>(bytes, 80, swap)));
    QCOMPARE(QString::fromStdString(volume->coordinateSystem), QStringLiteral("RAS"));
  }

  void nifti2AndFourDimensions() {
    auto two = readNifti(kData / "nifti" / "example_nifti2.nii.gz");
    QVERIFY2(two.ok(), two.ok() ? "" : two.error().message.c_str());
    QCOMPARE(QString::fromStdString(two->format), QStringLiteral("NIfTI-2"));
    QCOMPARE(two->shape, (std::vector<std::int64_t>{2, 12, 20, 32})); // t, z, y, x
    auto four = readNifti(kData / "nifti" / "example4d.nii.gz");
    QVERIFY(four.ok());
    QCOMPARE(four->shape.size(), std::size_t{4});
    QCOMPARE(static_cast<std::int64_t>(four->voxels.size()), four->count());
  }

  // Colin27 from Debian's mricron-data: the scan the built-in brain models were trained on,
  // and its 0.5 mm reconstruction they are tested on.
  void colin27HasItsKnownGeometry() {
    const fs::path templates = "/usr/share/mricron/templates";
    auto ch2 = readNifti(templates / "ch2.nii.gz");
    QVERIFY2(ch2.ok(), ch2.ok() ? "" : ch2.error().message.c_str());
    QCOMPARE(ch2->shape, (std::vector<std::int64_t>{181, 217, 181}));
    QCOMPARE(ch2->spacing, (std::array<double, 3>{1, 1, 1}));
    QCOMPARE(ch2->affine[0][3], -90.0);
    QCOMPARE(ch2->affine[1][3], -125.0);
    QCOMPARE(ch2->affine[2][3], -71.0);
    const auto [low, high] = std::minmax_element(ch2->voxels.begin(), ch2->voxels.end());
    QVERIFY(*low >= 0 && *high <= 255 && *high > 100);
    auto better = readNifti(templates / "ch2better.nii.gz");
    QVERIFY(better.ok());
    QCOMPARE(better->shape, (std::vector<std::int64_t>{316, 370, 301}));
    QCOMPARE(better->spacing, (std::array<double, 3>{0.5, 0.5, 0.5}));
  }

  void brokenNiftiIsRefused() {
    const auto whole = readAll(kData / "nifti" / "anatomical.nii");
    const auto half = fs::path(m_dir.path().toStdString()) / "half.nii";
    std::ofstream(half, std::ios::binary)
        .write(whole.data(), static_cast<std::streamsize>(whole.size() / 2));
    auto truncated = readNifti(half);
    QVERIFY(!truncated.ok());
    QCOMPARE(truncated.error().code, ErrorCode::Corrupt);
    const auto text = fs::path(m_dir.path().toStdString()) / "notes.nii";
    std::ofstream(text) << "not a volume";
    QVERIFY(!readNifti(text).ok());
    QCOMPARE(readNifti(fs::path(m_dir.path().toStdString()) / "absent.nii").error().code,
             ErrorCode::NotFound);
  }

  // The same MR slice stored five ways (explicit/implicit VR, big endian, RLE, JPEG-LS lossless)
  // must decode to the very same values.
  void losslessTransferSyntaxesAgree() {
    auto reference = readDicomFile(kData / "dicom" / "MR_small.dcm");
    QVERIFY2(reference.ok(), reference.ok() ? "" : reference.error().message.c_str());
    QCOMPARE(reference->shape, (std::vector<std::int64_t>{1, 64, 64}));
    QCOMPARE(QString::fromStdString(reference->modality), QStringLiteral("MR"));
    QVERIFY(*std::max_element(reference->voxels.begin(), reference->voxels.end()) > 0);
    for (const char *name : {"MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
                             "MR_small_jpeg_ls_lossless.dcm"}) {
      auto other = readDicomFile(kData / "dicom" / name);
      QVERIFY2(other.ok(), other.ok() ? name : other.error().message.c_str());
      QVERIFY2(other->voxels == reference->voxels, name);
      QVERIFY(other->format != reference->format || std::string(name) == "MR_small_implicit.dcm");
    }
  }

  // CT values come back in Hounsfield units: stored values times slope plus intercept, computed
  // here from the raw pixel element.
  void ctIsRescaledToHounsfieldUnits() {
    const auto file = kData / "dicom" / "CT_small.dcm";
    auto volume = readDicomFile(file);
    QVERIFY2(volume.ok(), volume.ok() ? "" : volume.error().message.c_str());
    DcmFileFormat format;
    QVERIFY(format.loadFile(file.c_str()).good());
    DcmDataset &data = *format.getDataset();
    Float64 slope = 1, intercept = 0;
    data.findAndGetFloat64(DCM_RescaleSlope, slope);
    data.findAndGetFloat64(DCM_RescaleIntercept, intercept);
    QVERIFY(intercept != 0); // this file really needs the rescale
    Uint16 pixelRepresentation = 0;
    data.findAndGetUint16(DCM_PixelRepresentation, pixelRepresentation);
    const Uint16 *raw = nullptr;
    unsigned long count = 0;
    QVERIFY(data.findAndGetUint16Array(DCM_PixelData, raw, &count).good());
    QCOMPARE(static_cast<std::int64_t>(count), volume->count());
    for (unsigned long i = 0; i < count; i += 97) {
      const double stored =
          pixelRepresentation ? static_cast<double>(static_cast<Sint16>(raw[i])) : raw[i];
      QCOMPARE(static_cast<double>(volume->voxels[i]), stored * slope + intercept);
    }
    QCOMPARE(QString::fromStdString(volume->modality), QStringLiteral("CT"));
    QVERIFY(volume->identifying.count("Patient's name"));
    QVERIFY(volume->spacing[0] > 0 && volume->spacing[0] < 5);
    QCOMPARE(QString::fromStdString(volume->coordinateSystem), QStringLiteral("LPS"));
  }

  void brokenAndUnsupportedDicomAreRefused() {
    auto truncated = readDicomFile(kData / "dicom" / "MR_truncated.dcm");
    QVERIFY(!truncated.ok());
    auto jpeg2000 = readDicomFile(kData / "dicom" / "MR_small_jp2klossless.dcm");
    QVERIFY(!jpeg2000.ok());
    QVERIFY(QString::fromStdString(jpeg2000.error().message).contains(QStringLiteral("JPEG 2000")));
    const auto text = fs::path(m_dir.path().toStdString()) / "notes.dcm";
    std::ofstream(text) << "not a scan";
    QCOMPARE(readDicomFile(text).error().code, ErrorCode::Corrupt);
  }

  // A series written in shuffled file order is stacked along the slice normal.
  void seriesIsSortedAlongTheNormal() {
    const fs::path folder = fs::path(m_dir.path().toStdString()) / "series";
    writeShuffledSeries(kData / "dicom" / "MR_small.dcm", folder, {"b.dcm", "c.dcm", "a.dcm"});
    std::ofstream(folder / "README.txt") << "not DICOM";
    auto volume = readDicomSeries(folder);
    QVERIFY2(volume.ok(), volume.ok() ? "" : volume.error().message.c_str());
    checkSeries(*volume);
    QCOMPARE(readDicomSeries(fs::path(m_dir.path().toStdString())).error().code,
             ErrorCode::InvalidInput);
  }

  // The same series on "media": image files in a subfolder, listed by a DICOMDIR.
  void dicomdirListsTheSeries() {
    const fs::path media = fs::path(m_dir.path().toStdString()) / "media";
    writeShuffledSeries(kData / "dicom" / "MR_small.dcm", media / "IMAGES", {"IM1", "IM2", "IM3"});
    DicomDirInterface dicomdir;
    dicomdir.enableInventMode(OFTrue);
    QVERIFY(
        dicomdir
            .createNewDicomDir(DicomDirInterface::AP_GeneralPurpose, (media / "DICOMDIR").c_str())
            .good());
    for (const char *name : {"IM1", "IM2", "IM3"})
      QVERIFY(dicomdir.addDicomFile((std::string("IMAGES/") + name).c_str(), media.c_str()).good());
    QVERIFY(dicomdir.writeDicomDir().good());
    auto fromFile = readDicomSeries(media / "DICOMDIR");
    QVERIFY2(fromFile.ok(), fromFile.ok() ? "" : fromFile.error().message.c_str());
    checkSeries(*fromFile);
    auto fromFolder = readDicomSeries(media); // a folder holding a DICOMDIR uses it
    QVERIFY(fromFolder.ok());
    QCOMPARE(fromFolder->voxels, fromFile->voxels);
    const fs::path fake = fs::path(m_dir.path().toStdString()) / "fake";
    fs::create_directories(fake);
    std::ofstream(fake / "DICOMDIR") << "not a directory record";
    QVERIFY(!readDicomSeries(fake / "DICOMDIR").ok());
  }

private:
  static void checkSeries(const Volume &volume) {
    QCOMPARE(volume.shape, (std::vector<std::int64_t>{3, 64, 64}));
    const auto slice = static_cast<std::size_t>(64 * 64);
    QCOMPARE(volume.voxels[0], 1001.0f);         // z = -5
    QCOMPARE(volume.voxels[slice], 1002.0f);     // z = 2.5
    QCOMPARE(volume.voxels[2 * slice], 1000.0f); // z = 10
    QCOMPARE(volume.spacing[2], 7.5);
    QCOMPARE(volume.affine[2][3], -5.0);
  }
};

QTEST_GUILESS_MAIN(TestIngest)
#include "tst_ingest.moc"
