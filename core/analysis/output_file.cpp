#include "analysis/output_file.h"

#include "ingest/nifti_reader.h"
#include "ingest/nifti_writer.h"
#include "model/npy.h"

namespace nesa::analysis {

namespace fs = std::filesystem;

Result<void> checkOutputFile(const fs::path &file) {
  if (ingest::isNiftiName(file) || file.extension() == ".npy")
    return {};
  return fail(ErrorCode::InvalidInput,
              file.string() + ": the output is written as .npy (the model's output) or as .nii "
                              "or .nii.gz (a segmentation on the scan's grid)");
}

Result<void> writeOutput(const fs::path &file, const Outcome &outcome) {
  if (auto checked = checkOutputFile(file); !checked)
    return checked;
  if (!ingest::isNiftiName(file)) {
    if (!outcome.output)
      return fail(ErrorCode::InvalidInput, "this run has no output array to write");
    return model::writeNpy(file, *outcome.output);
  }
  if (!outcome.scanLabels)
    return fail(ErrorCode::InvalidInput,
                "only a segmentation of a NIfTI or DICOM scan is written as NIfTI; write the "
                "output as .npy");
  return ingest::writeNiftiLabels(file, *outcome.scanLabels,
                                  "Nesa segmentation: " + outcome.modelName);
}

Result<void> checkDicomFolder(const fs::path &folder) {
  std::error_code ec;
  fs::path existing = fs::absolute(folder, ec);
  while (!ec && !existing.empty() && !fs::exists(existing, ec) && existing != existing.root_path())
    existing = existing.parent_path();
  if (ec || !fs::is_directory(existing, ec))
    return fail(ErrorCode::InvalidInput, folder.string() + ": " + existing.string() +
                                             " is not a folder, so the DICOM results cannot go "
                                             "there");
  return {};
}

Result<ingest::DicomResultFiles> writeDicomOutput(const fs::path &folder, const Outcome &outcome) {
  if (!outcome.scanLabels || outcome.labelNames.empty())
    return fail(ErrorCode::InvalidInput,
                "only a segmentation of a NIfTI or DICOM scan is written as DICOM");
  ingest::ResultModel model{outcome.modelName, outcome.modelVersion, outcome.labelNames, true};
  return ingest::writeDicomResults(folder, *outcome.scanLabels, outcome.scanSource, model);
}

} // namespace nesa::analysis
