// libFuzzer target: NIfTI-1/2 volumes, plain or gzip-compressed (chosen by the gzip magic).
#include "fuzz_input.h"
#include "ingest/nifti_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  const bool gzipped = nesa::fuzz::startsWith(data, size, "\x1f\x8b");
  (void)nesa::ingest::readNifti(nesa::fuzz::inputFile(data, size, gzipped ? ".nii.gz" : ".nii"));
  return 0;
}
