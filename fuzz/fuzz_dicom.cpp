// libFuzzer target: DICOM files (DCMTK, with the compressed transfer syntaxes it decodes).
#include "fuzz_input.h"
#include "ingest/dicom_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  (void)nesa::ingest::readDicomFile(nesa::fuzz::inputFile(data, size, ".dcm"));
  return 0;
}
