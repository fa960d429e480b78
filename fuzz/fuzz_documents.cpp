// libFuzzer target: documents. PDF (poppler) and DOCX (zip + XML) by their magic, anything else
// as plain text or Markdown (chosen by the input's length, so both paths are reached).
#include "fuzz_input.h"
#include "ingest/document_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using nesa::fuzz::startsWith;
  const char *extension = startsWith(data, size, "%PDF") ? ".pdf"
                          : startsWith(data, size, "PK") ? ".docx"
                          : size % 2 == 0                ? ".txt"
                                                         : ".md";
  (void)nesa::ingest::readDocument(nesa::fuzz::inputFile(data, size, extension));
  return 0;
}
