// Documents and images: text out of real PDF, DOCX, TXT and MD files made here, and images in
// every supported format, with broken files refused.
#include "ingest/document_reader.h"
#include "ingest/image_reader.h"

#include <QFile>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>
#include <QTemporaryDir>
#include <QTest>

#include <zip.h>

using namespace nesa;
using namespace nesa::ingest;
namespace fs = std::filesystem;

namespace {

void writePdf(const QString &path, const QStringList &pages, bool withText = true) {
  QPdfWriter writer(path);
  writer.setResolution(300);
  QPainter painter(&writer);
  QFont font = painter.font();
  font.setPointSize(14);
  painter.setFont(font);
  for (int i = 0; i < pages.size(); ++i) {
    if (i > 0)
      writer.newPage();
    if (withText)
      painter.drawText(QPointF(200, 400), pages[i]);
    else
      painter.fillRect(QRectF(200, 200, 600, 300), Qt::black); // a "scan": pixels, no text
  }
}

// A minimal Office Open XML word-processing package.
bool writeDocx(const std::string &path, const std::string &documentXml) {
  int error = 0;
  zip_t *archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!archive)
    return false;
  static const std::string types =
      R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
      R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>)";
  for (const auto &[name, content] :
       {std::pair{"[Content_Types].xml", &types}, std::pair{"word/document.xml", &documentXml}}) {
    zip_source_t *source = zip_source_buffer(archive, content->data(), content->size(), 0);
    if (!source || zip_file_add(archive, name, source, ZIP_FL_OVERWRITE) < 0)
      return false;
  }
  return zip_close(archive) == 0;
}

} // namespace

class TestDocuments : public QObject {
  Q_OBJECT
  QTemporaryDir m_dir;
  fs::path path(const char *name) const { return fs::path(m_dir.path().toStdString()) / name; }

private Q_SLOTS:
  void pdfTextIsExtractedPerPage() {
    writePdf(QString::fromStdString(path("contract.pdf").string()),
             {QStringLiteral("Confidential supply contract"), QStringLiteral("Penalty 42000 EUR")});
    auto document = readDocument(path("contract.pdf"));
    QVERIFY2(document.ok(), document.ok() ? "" : document.error().message.c_str());
    QCOMPARE(document->pages, 2);
    QCOMPARE(QString::fromStdString(document->format), QStringLiteral("PDF"));
    const QString text = QString::fromStdString(document->text);
    QVERIFY2(text.contains(QStringLiteral("Confidential supply contract")), qPrintable(text));
    QVERIFY(text.contains(QStringLiteral("42000")));
    QVERIFY(text.indexOf(QChar('\f')) > text.indexOf(QStringLiteral("contract")));
    QVERIFY(!document->recognized);
  }

  // A scan: the page is only a picture of text. OCR reads it; a page with no text at all is an
  // error, never an empty document.
  void scannedPdfIsReadByOcr() {
    QImage scan(2400, 600, QImage::Format_Grayscale8);
    scan.fill(Qt::white);
    {
      QPainter painter(&scan);
      QFont font(QStringLiteral("DejaVu Sans"));
      font.setPixelSize(110);
      painter.setFont(font);
      painter.setPen(Qt::black);
      painter.drawText(QPointF(80, 330), QStringLiteral("Invoice 12345 overdue"));
    }
    {
      QPdfWriter writer(QString::fromStdString(path("scan.pdf").string()));
      writer.setResolution(300);
      QPainter painter(&writer);
      painter.drawImage(QRectF(0, 0, 2400, 600), scan);
    }
    auto document = readDocument(path("scan.pdf"));
    QVERIFY2(document.ok(), document.ok() ? "" : document.error().message.c_str());
    QVERIFY(document->recognized);
    const QString text = QString::fromStdString(document->text);
    QVERIFY2(text.contains(QStringLiteral("Invoice")) && text.contains(QStringLiteral("12345")),
             qPrintable(text));

    writePdf(QString::fromStdString(path("blank.pdf").string()), {QString()}, false);
    auto blank = readDocument(path("blank.pdf"));
    QVERIFY(!blank.ok());
    QVERIFY(QString::fromStdString(blank.error().message).contains(QStringLiteral("OCR")));
  }

  void brokenPdfIsRefused() {
    writePdf(QString::fromStdString(path("whole.pdf").string()), {QStringLiteral("text")});
    QFile whole(QString::fromStdString(path("whole.pdf").string()));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    QFile half(QString::fromStdString(path("half.pdf").string()));
    QVERIFY(half.open(QIODevice::WriteOnly));
    half.write(whole.read(whole.size() / 3));
    half.close();
    QVERIFY(!readDocument(path("half.pdf")).ok());
    QFile fake(QString::fromStdString(path("fake.pdf").string()));
    QVERIFY(fake.open(QIODevice::WriteOnly));
    fake.write("just words");
    fake.close();
    QCOMPARE(readDocument(path("fake.pdf")).error().code, ErrorCode::Corrupt);
  }

  void docxParagraphsTabsAndBreaks() {
    const std::string xml =
        R"(<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>)"
        R"(<w:p><w:r><w:t>Clause 1:</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">pay on time</w:t></w:r></w:p>)"
        R"(<w:p><w:r><w:t>Clause 2 — résiliation</w:t><w:br/><w:t>with notice</w:t></w:r></w:p></w:body></w:document>)";
    QVERIFY(writeDocx(path("terms.docx").string(), xml));
    auto document = readDocument(path("terms.docx"));
    QVERIFY2(document.ok(), document.ok() ? "" : document.error().message.c_str());
    QCOMPARE(QString::fromStdString(document->format), QStringLiteral("DOCX"));
    QCOMPARE(QString::fromStdString(document->text),
             QStringLiteral("Clause 1:\tpay on time\nClause 2 — résiliation\nwith notice\n"));
  }

  void zipThatIsNotWordAndBrokenXmlAreRefused() {
    int error = 0;
    zip_t *archive = zip_open(path("photos.docx").c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    static const char content[] = "hello";
    zip_file_add(archive, "readme.txt", zip_source_buffer(archive, content, 5, 0), 0);
    zip_close(archive);
    QCOMPARE(readDocument(path("photos.docx")).error().code, ErrorCode::InvalidInput);
    QVERIFY(writeDocx(path("broken.docx").string(), "<w:document><w:body><w:p>"));
    QCOMPARE(readDocument(path("broken.docx")).error().code, ErrorCode::Corrupt);
  }

  void plainTextAndMarkdown() {
    QFile md(QString::fromStdString(path("notes.md").string()));
    QVERIFY(md.open(QIODevice::WriteOnly));
    md.write(QStringLiteral("# Résumé\n\n- point\n").toUtf8());
    md.close();
    auto markdown = readDocument(path("notes.md"));
    QVERIFY(markdown.ok());
    QCOMPARE(QString::fromStdString(markdown->format), QStringLiteral("Markdown"));
    QCOMPARE(QString::fromStdString(markdown->text), QStringLiteral("# Résumé\n\n- point\n"));
    QFile latin(QString::fromStdString(path("old.txt").string()));
    QVERIFY(latin.open(QIODevice::WriteOnly));
    latin.write("caf\xe9\n"); // Latin-1, not UTF-8
    latin.close();
    QCOMPARE(QString::fromStdString(readDocument(path("old.txt"))->text), QStringLiteral("café\n"));
    QCOMPARE(readDocument(path("absent.txt")).error().code, ErrorCode::NotFound);
  }

  void imagesInEveryFormat_data() {
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("lossless");
    QTest::newRow("png") << "png" << true;
    QTest::newRow("bmp") << "bmp" << true;
    QTest::newRow("tiff") << "tiff" << true;
    QTest::newRow("jpeg") << "jpeg" << false;
  }

  void imagesInEveryFormat() {
    QFETCH(QString, format);
    QFETCH(bool, lossless);
    QImage colour(12, 8, QImage::Format_RGB888);
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 12; ++x)
        colour.setPixelColor(x, y, QColor(x * 20, y * 30, 100));
    const QString file = QString::fromStdString(path("picture").string()) + "." + format;
    QVERIFY(colour.save(file, format.toLatin1().constData(), 100));
    auto image = readImage(file.toStdString());
    QVERIFY2(image.ok(), image.ok() ? "" : image.error().message.c_str());
    QCOMPARE(image->width, 12);
    QCOMPARE(image->height, 8);
    QCOMPARE(image->channels, 3);
    QCOMPARE(QString::fromStdString(image->format), format);
    const float r = image->pixels[(3 * 12 + 5) * 3], g = image->pixels[(3 * 12 + 5) * 3 + 1];
    if (lossless) {
      QCOMPARE(r, 100.0f);
      QCOMPARE(g, 90.0f);
    } else {
      QVERIFY(std::abs(r - 100.0f) < 12 && std::abs(g - 90.0f) < 12);
    }
  }

  void greyImagesKeepOneChannelAndBrokenOnesAreRefused() {
    QImage grey(5, 4, QImage::Format_Grayscale8);
    grey.fill(77);
    QVERIFY(grey.save(QString::fromStdString(path("grey.png").string())));
    auto image = readImage(path("grey.png"));
    QVERIFY(image.ok());
    QCOMPARE(image->channels, 1);
    QCOMPARE(image->pixels.size(), std::size_t{20});
    QCOMPARE(image->pixels[7], 77.0f);
    QFile whole(QString::fromStdString(path("grey.png").string()));
    QVERIFY(whole.open(QIODevice::ReadOnly));
    QFile cut(QString::fromStdString(path("cut.png").string()));
    QVERIFY(cut.open(QIODevice::WriteOnly));
    cut.write(whole.read(40));
    cut.close();
    QVERIFY(!readImage(path("cut.png")).ok());
    QCOMPARE(readImage(path("notes.md")).error().code, ErrorCode::InvalidInput);
  }
};

QTEST_MAIN(TestDocuments)
#include "tst_documents.moc"
