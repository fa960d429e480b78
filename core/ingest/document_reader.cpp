#include "ingest/document_reader.h"

#include <QFile>
#include <QImage>
#include <QStringDecoder>
#include <QXmlStreamReader>
#include <leptonica/allheaders.h>
#include <poppler-qt6.h>
#include <tesseract/baseapi.h>
#include <zip.h>

#include <memory>

namespace nesa::ingest {
namespace {

constexpr qint64 kMaxTextFile = 64 * 1024 * 1024;

QByteArray head(const std::filesystem::path &file, int bytes) {
  QFile f(QString::fromStdString(file.string()));
  return f.open(QIODevice::ReadOnly) ? f.read(bytes) : QByteArray();
}

// The text Tesseract reads on a page image (English, 300 dpi).
Result<QString> recognize(const QImage &page) {
  tesseract::TessBaseAPI ocr;
  if (ocr.Init(nullptr, "eng") != 0)
    return fail(
        ErrorCode::Unavailable,
        "text recognition needs Tesseract's English data (Debian package tesseract-ocr-eng)");
  const QImage grey = page.convertToFormat(QImage::Format_Grayscale8);
  ocr.SetImage(grey.constBits(), grey.width(), grey.height(), 1,
               static_cast<int>(grey.bytesPerLine()));
  ocr.SetSourceResolution(300);
  std::unique_ptr<char[]> text(ocr.GetUTF8Text());
  ocr.End();
  return QString::fromUtf8(text ? text.get() : "");
}

Result<Document> readPdf(const std::filesystem::path &file) {
  std::unique_ptr<Poppler::Document> pdf =
      Poppler::Document::load(QString::fromStdString(file.string()));
  if (!pdf)
    return fail(ErrorCode::Corrupt,
                file.string() + " is not a readable PDF (damaged or truncated?)");
  if (pdf->isLocked())
    return fail(ErrorCode::InvalidInput,
                file.string() + " is password-protected; open it and save an unprotected copy");
  Document document;
  document.format = "PDF";
  document.pages = pdf->numPages();
  QString text;
  for (int i = 0; i < document.pages; ++i) {
    std::unique_ptr<Poppler::Page> page = pdf->page(i);
    if (!page)
      return fail(ErrorCode::Corrupt,
                  file.string() + ": page " + std::to_string(i + 1) + " cannot be read");
    if (i > 0)
      text += QChar('\f');
    text += page->text(QRectF());
  }
  if (text.trimmed().isEmpty()) { // a scan: read the page images instead
    text.clear();
    for (int i = 0; i < document.pages; ++i) {
      std::unique_ptr<Poppler::Page> page = pdf->page(i);
      const QImage image = page ? page->renderToImage(300, 300) : QImage();
      if (image.isNull())
        return fail(ErrorCode::Corrupt,
                    file.string() + ": page " + std::to_string(i + 1) + " cannot be rendered");
      auto recognized = recognize(image);
      if (!recognized)
        return recognized.error();
      if (i > 0)
        text += QChar('\f');
      text += *recognized;
    }
    if (text.trimmed().isEmpty())
      return fail(ErrorCode::InvalidInput,
                  file.string() +
                      " has no text layer and text recognition (OCR) found no text on its pages");
    document.recognized = true;
  }
  // Compatibility normalization undoes typographic ligatures ("ﬁ" → "fi") that PDF producers
  // emit and text models do not expect.
  document.text = text.normalized(QString::NormalizationForm_KC).toStdString();
  return document;
}

// The paragraphs of word/document.xml: <w:t> runs, <w:tab/>, <w:br/>, one line per <w:p>.
Result<Document> readDocx(const std::filesystem::path &file) {
  int error = 0;
  std::unique_ptr<zip_t, decltype(&zip_close)> archive(zip_open(file.c_str(), ZIP_RDONLY, &error),
                                                       &zip_close);
  if (!archive)
    return fail(ErrorCode::Corrupt,
                file.string() + " is not a readable DOCX (the zip container is damaged)");
  zip_stat_t info;
  if (zip_stat(archive.get(), "word/document.xml", 0, &info) != 0)
    return fail(ErrorCode::InvalidInput, file.string() + " is a zip file but not a Word document");
  // A zip bomb announces (or, lying, hides) a huge expansion: only what the entry says, up to
  // the limit, is ever unpacked.
  if (info.size > static_cast<zip_uint64_t>(kMaxTextFile))
    return fail(ErrorCode::InvalidInput,
                file.string() + ": the document text unpacks to " +
                    std::to_string(info.size >> 20) + " MiB, more than the " +
                    std::to_string(kMaxTextFile >> 20) + " MiB this reader accepts");
  std::unique_ptr<zip_file_t, decltype(&zip_fclose)> entry(
      zip_fopen(archive.get(), "word/document.xml", 0), &zip_fclose);
  QByteArray xml(static_cast<qsizetype>(info.size), '\0');
  if (!entry ||
      zip_fread(entry.get(), xml.data(), info.size) != static_cast<zip_int64_t>(info.size))
    return fail(ErrorCode::Corrupt, file.string() + ": word/document.xml cannot be read");
  QXmlStreamReader reader(xml);
  QString text;
  bool inText = false;
  while (!reader.atEnd()) {
    reader.readNext();
    if (reader.isStartElement()) {
      const auto name = reader.qualifiedName();
      inText = name == QLatin1String("w:t");
      if (name == QLatin1String("w:tab"))
        text += QChar('\t');
      else if (name == QLatin1String("w:br"))
        text += QChar('\n');
    } else if (reader.isEndElement()) {
      if (reader.qualifiedName() == QLatin1String("w:p"))
        text += QChar('\n');
      inText = false;
    } else if (reader.isCharacters() && inText) {
      text += reader.text();
    }
  }
  if (reader.hasError())
    return fail(ErrorCode::Corrupt, file.string() + ": the document's XML is malformed (" +
                                        reader.errorString().toStdString() + ")");
  return Document{text.toStdString(), "DOCX", 0};
}

Result<Document> readPlainText(const std::filesystem::path &file, const std::string &format) {
  QFile f(QString::fromStdString(file.string()));
  if (!f.open(QIODevice::ReadOnly))
    return fail(ErrorCode::Io, "cannot read " + file.string());
  if (f.size() > kMaxTextFile)
    return fail(ErrorCode::InvalidInput, file.string() + " is larger than 64 MiB of text");
  const QByteArray bytes = f.readAll();
  QStringDecoder utf8(QStringDecoder::Utf8);
  QString text = utf8.decode(bytes);
  if (utf8.hasError()) // not UTF-8: old Windows/Latin-1 files are still common
    text = QString::fromLatin1(bytes);
  return Document{text.toStdString(), format, 0};
}

} // namespace

Result<Document> readDocument(const std::filesystem::path &file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return fail(ErrorCode::NotFound, "no document at " + file.string());
  const QByteArray start = head(file, 5);
  if (start.startsWith("%PDF-"))
    return readPdf(file);
  if (start.startsWith("PK\x03\x04"))
    return readDocx(file);
  const std::string extension = file.extension().string();
  if (extension == ".pdf" || extension == ".PDF")
    return fail(ErrorCode::Corrupt, file.string() + " is named like a PDF but is not one");
  if (extension == ".docx" || extension == ".DOCX")
    return fail(ErrorCode::Corrupt, file.string() + " is named like a DOCX but is not one");
  if (extension == ".md" || extension == ".markdown")
    return readPlainText(file, "Markdown");
  if (extension == ".txt" || extension == ".text" || extension.empty())
    return readPlainText(file, "Text");
  return fail(ErrorCode::InvalidInput,
              file.string() + " is not a document this app reads (PDF, DOCX, TXT, MD)");
}

} // namespace nesa::ingest
