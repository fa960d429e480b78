// A corpus of broken files, made here: truncated, wrong magic, absurd dimensions, zip bombs and
// entity bombs. Every reader must answer with a clear error, quickly and without exhausting
// memory — the fuzz targets (scripts/fuzz.sh) hunt for crashes, this pins the messages.
#include "ingest/dicom_reader.h"
#include "ingest/document_reader.h"
#include "ingest/image_reader.h"
#include "ingest/nifti_reader.h"
#include "model/npy.h"
#include "test_nifti.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <zip.h>
#include <zlib.h>

#include <cstring>
#include <fstream>
#include <functional>

using namespace nesa;
using namespace nesa::ingest;
namespace fs = std::filesystem;
using nesa::testing::niftiHeader;

namespace {

const fs::path kTestData = NESA_TEST_DATA;

void write(const fs::path &file, const std::string &bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

std::string readAll(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::string gzip(const std::string &bytes) {
  z_stream s{};
  deflateInit2(&s, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&s, bytes.size()), '\0');
  s.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
  s.avail_in = static_cast<uInt>(bytes.size());
  s.next_out = reinterpret_cast<Bytef *>(out.data());
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

// A .docx whose word/document.xml is `xml`.
void writeDocx(const fs::path &file, const std::string &xml) {
  int error = 0;
  zip_t *archive = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  auto *copy = new std::string(xml);
  zip_source_t *source = zip_source_buffer(archive, copy->data(), copy->size(), 0);
  zip_file_add(archive, "word/document.xml", source, ZIP_FL_OVERWRITE);
  zip_close(archive);
  delete copy;
}

// A PNG signature and IHDR chunk announcing `width`×`height`, then nothing.
std::string pngHeader(std::uint32_t width, std::uint32_t height) {
  std::string ihdr = "IHDR";
  for (std::uint32_t v : {width, height})
    for (int shift = 24; shift >= 0; shift -= 8)
      ihdr.push_back(static_cast<char>((v >> shift) & 0xff));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);
  const auto crc = static_cast<std::uint32_t>(
      crc32(0, reinterpret_cast<const Bytef *>(ihdr.data()), static_cast<uInt>(ihdr.size())));
  std::string png("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d", 12);
  png += ihdr;
  for (int shift = 24; shift >= 0; shift -= 8)
    png.push_back(static_cast<char>((crc >> shift) & 0xff));
  return png;
}

using Reader = std::function<std::string(const fs::path &)>; // "" when it read the file

template <typename R> std::string errorOf(const R &result) {
  return result.ok() ? std::string() : result.error().message;
}

} // namespace

Q_DECLARE_METATYPE(Reader)

class TestBrokenFiles : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path file(const std::string &name) const {
    return fs::path(m_dir.path().toStdString()) / name;
  }

private Q_SLOTS:
  void brokenFilesGiveClearErrors_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<Reader>("reader");
    QTest::addColumn<QString>("expected");
    const Reader nifti = [](const fs::path &f) { return errorOf(readNifti(f)); };
    const Reader dicom = [](const fs::path &f) { return errorOf(readDicomFile(f)); };
    const Reader document = [](const fs::path &f) { return errorOf(readDocument(f)); };
    const Reader image = [](const fs::path &f) { return errorOf(readImage(f)); };

    write(file("short.nii"), niftiHeader(10, 10, 10, 2, 8).substr(0, 100));
    QTest::newRow("nifti cut inside the header") << "short.nii" << nifti << "not a readable NIfTI";
    write(file("magic.nii"), "GIF89a" + std::string(1000, '\1'));
    QTest::newRow("nifti wrong magic") << "magic.nii" << nifti << "not a readable NIfTI";
    write(file("huge.nii"), niftiHeader(30000, 30000, 30000, 2, 8));
    QTest::newRow("nifti absurd dimensions") << "huge.nii" << nifti << "supported size";
    write(file("big.nii"), niftiHeader(2000, 2000, 400, 64, 64));
    QTest::newRow("nifti data missing") << "big.nii" << nifti << "is truncated";
    write(file("big.nii.gz"), gzip(niftiHeader(100, 100, 100, 4, 16) + std::string(10, '\0')));
    QTest::newRow("nifti.gz data missing") << "big.nii.gz" << nifti << "is truncated";
    // Over 4 GiB gzip's recorded length cannot tell: a few bytes announcing 12.8 GB are refused
    // before anything is allocated.
    write(file("huge.nii.gz"), gzip(niftiHeader(2000, 2000, 400, 64, 64) + std::string(10, '\0')));
    QTest::newRow("nifti.gz announcing over 4 GiB") << "huge.nii.gz" << nifti << "is truncated";

    write(file("photo.dcm"), pngHeader(4, 4));
    QTest::newRow("dicom wrong magic") << "photo.dcm" << dicom << "";
    const auto ct = readAll(kTestData / "dicom" / "CT_small.dcm");
    QVERIFY(!ct.empty());
    write(file("cut.dcm"), ct.substr(0, ct.size() / 3));
    QTest::newRow("dicom truncated in the pixels") << "cut.dcm" << dicom << "";

    writeDocx(file("bomb.docx"), std::string(65 << 20, ' '));
    QTest::newRow("docx zip bomb") << "bomb.docx" << document << "unpacks to 65 MiB";
    std::string laughs = "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"lol lol lol lol lol\">";
    for (char c = 'b'; c <= 'j'; ++c) {
      const std::string previous(1, static_cast<char>(c - 1));
      laughs += std::string("<!ENTITY ") + c + " \"";
      for (int i = 0; i < 10; ++i)
        laughs += "&" + previous + ";";
      laughs += "\">";
    }
    laughs += "]><w:document xmlns:w=\"w\"><w:p><w:t>&j;</w:t></w:p></w:document>";
    writeDocx(file("laughs.docx"), laughs);
    QTest::newRow("docx entity bomb") << "laughs.docx" << document << "malformed";
    write(file("letter.docx"), "Dear colleague, this is not a zip file.");
    QTest::newRow("docx not a zip") << "letter.docx" << document << "is not one";
    write(file("report.pdf"), "%PDF-1.4 and then nothing a PDF needs");
    QTest::newRow("pdf without structure") << "report.pdf" << document << "";

    const Reader npy = [](const fs::path &f) { return errorOf(model::readNpy(f)); };
    const auto npyHeader = [](const std::string &shape) {
      std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
      header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ').append("\n");
      return std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(header.size() & 0xff) +
             static_cast<char>(header.size() >> 8) + header;
    };
    write(file("cut.npy"), npyHeader("(4, 16)") + std::string(10, '\0'));
    QTest::newRow("npy cut in its data") << "cut.npy" << npy << "where the shape needs 256";
    // 2^32 three times is 2^96 elements: a product that wraps to 0 must not pass as empty.
    write(file("wrap.npy"), npyHeader("(4294967296, 4294967296, 4294967296)"));
    QTest::newRow("npy shape past 64 bits") << "wrap.npy" << npy << "invalid shape";
    write(file("digits.npy"), npyHeader("(99999999999999999999999,)"));
    QTest::newRow("npy dimension of 23 digits") << "digits.npy" << npy << "invalid shape";
    write(file("photo.npy"), pngHeader(4, 4));
    QTest::newRow("npy wrong magic") << "photo.npy" << npy << "not a NumPy .npy file";

    write(file("huge.png"), pngHeader(100000, 100000));
    QTest::newRow("png absurd dimensions") << "huge.png" << image << "";
    write(file("cut.png"), pngHeader(64, 64));
    QTest::newRow("png without pixels") << "cut.png" << image << "";
  }

  void brokenFilesGiveClearErrors() {
    QFETCH(QString, name);
    QFETCH(Reader, reader);
    QFETCH(QString, expected);
    QElapsedTimer timer;
    timer.start();
    const std::string message = reader(file(name.toStdString()));
    qInfo("%s: %s (%lld ms)", qPrintable(name), message.c_str(),
          static_cast<long long>(timer.elapsed()));
    QVERIFY2(!message.empty(), "a broken file was read as if it were fine");
    QVERIFY2(message.find(expected.toStdString()) != std::string::npos, message.c_str());
    QVERIFY2(timer.elapsed() < 10000, "a broken file took more than 10 s to refuse");
  }

  // An .npy file is written whole or not at all: values that do not fill the shape and a folder
  // that cannot be written are refused and leave the file that was there, and no partial file.
  void anNpyIsWrittenWholeOrNotAtAll() {
    const auto kept = file("kept.npy");
    const auto first = model::TensorData::fromFloats({2, 2}, {1, 2, 3, 4});
    QVERIFY(model::writeNpy(kept, first));
    const auto wrong = model::writeNpy(kept, model::TensorData::fromFloats({3, 3}, {1, 2}));
    QVERIFY(!wrong);
    QCOMPARE(wrong.error().code, ErrorCode::InvalidInput);
    auto read = model::readNpy(kept);
    QVERIFY(read);
    QCOMPARE(read->toFloats(), first.toFloats());
    QVERIFY(!model::writeNpy(file("no-such-folder") / "out.npy", first));
    const auto second = model::TensorData::fromFloats({4}, {5, 6, 7, 8});
    QVERIFY(model::writeNpy(kept, second));
    read = model::readNpy(kept);
    QVERIFY(read);
    QCOMPARE(read->shape, (std::vector<std::int64_t>{4}));
    QCOMPARE(read->toFloats(), second.toFloats());
    for (const auto &entry : fs::directory_iterator(m_dir.path().toStdString()))
      QVERIFY2(entry.path().extension() != ".partial", entry.path().c_str());
  }
};

QTEST_GUILESS_MAIN(TestBrokenFiles)
#include "tst_broken_files.moc"
