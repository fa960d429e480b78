// The text of documents: PDF (poppler), DOCX (the Office Open XML inside the zip), TXT and MD.
#pragma once

#include "util/result.h"

#include <filesystem>
#include <string>

namespace nesa::ingest {

/// A document's plain text (UTF-8), paragraphs separated by newlines, pages by form feeds.
struct Document {
  std::string text;
  std::string format;      ///< "PDF", "DOCX", "Text", "Markdown"
  int pages = 0;           ///< PDF only
  bool recognized = false; ///< the text came from OCR of page images (a scanned PDF)
};

/// Reads the text of `file`, chosen by its content (PDF signature, zip with word/document.xml)
/// and else by its extension (.txt, .md). A PDF without a text layer (a scan) is rendered at
/// 300 dpi and read with Tesseract OCR (English); if that finds nothing either, it is an error.
Result<Document> readDocument(const std::filesystem::path &file);

} // namespace nesa::ingest
