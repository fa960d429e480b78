#include "analysis/model_input.h"

#include "ingest/dicom_reader.h"
#include "ingest/image_reader.h"
#include "ingest/nifti_reader.h"
#include "ingest/preprocess.h"
#include "model/npy.h"

namespace nesa::analysis {
namespace {

namespace fs = std::filesystem;

/// A scan's voxels, prepared as `manifest` says.
Result<std::vector<float>> volumeValues(const fs::path &input,
                                        const ingest::ModelManifest &manifest,
                                        const std::function<void(const std::string &)> &onNotice,
                                        ingest::PreparedGeometry &geometry,
                                        std::optional<ingest::DicomSource> &dicom) {
  const std::string name = input.filename().string();
  std::error_code ec;
  auto volume = ingest::isNiftiName(input)                          ? ingest::readNifti(input)
                : fs::is_directory(input, ec) || name == "DICOMDIR" ? ingest::readDicomSeries(input)
                                                                    : ingest::readDicomFile(input);
  if (!volume)
    return volume.error();
  if (!volume->identifying.empty() && onNotice)
    onNotice("Patient details in the file stay on this computer (" +
             std::to_string(volume->identifying.size()) + " attributes are never sent).");
  dicom = std::move(volume->dicom);
  auto prepared = ingest::preprocess(*volume, manifest.preprocessing, &geometry);
  if (!prepared)
    return prepared.error();
  return std::move(prepared->voxels);
}

/// An image's pixels, prepared for an image model's [1, C, H, W] input.
Result<std::vector<float>> imageValues(const fs::path &input,
                                       const ingest::ModelManifest &manifest) {
  auto image = ingest::readImage(input);
  if (!image)
    return image.error();
  const auto &shape = manifest.inputShape;
  if (shape.size() != 4)
    return fail(ErrorCode::InvalidInput, "an image model's inputShape must be [1, C, H, W]");
  return ingest::prepareImage(*image, shape[1], shape[2], shape[3]);
}

} // namespace

Result<PreparedInput> loadInput(const fs::path &input,
                                const std::optional<ingest::ModelManifest> &manifest,
                                const std::function<void(const std::string &)> &onNotice) {
  const std::string name = input.filename().string();
  if (input.extension() == ".npy") {
    auto tensor = model::readNpy(input);
    if (!tensor)
      return tensor.error();
    if (tensor->dtype == model::DType::I64)
      return fail(ErrorCode::InvalidInput, "the input array must hold floats");
    return PreparedInput{std::move(*tensor), std::nullopt, std::nullopt};
  }
  if (!manifest)
    return fail(ErrorCode::InvalidInput,
                "say how to prepare " + name +
                    " for this model with a manifest (nesa analyze --manifest FILE), or give the "
                    "input as an .npy array");
  ingest::PreparedGeometry geometry;
  std::optional<ingest::DicomSource> dicom;
  const bool volume = manifest->input == "volume";
  Result<std::vector<float>> values =
      volume ? volumeValues(input, *manifest, onNotice, geometry, dicom)
      : manifest->input == "image"
          ? imageValues(input, *manifest)
          : fail(ErrorCode::InvalidInput, "a text model's input is a document: give a "
                                          "language-model folder as the model");
  if (!values)
    return values.error();
  std::int64_t expected = 1;
  for (auto d : manifest->inputShape)
    expected *= d;
  if (static_cast<std::int64_t>(values->size()) != expected)
    return fail(ErrorCode::InvalidInput,
                "the prepared input has " + std::to_string(values->size()) +
                    " values but the model takes " + std::to_string(expected));
  PreparedInput prepared{model::TensorData::fromFloats(manifest->inputShape, *values), std::nullopt,
                         std::nullopt};
  if (volume) {
    prepared.geometry = geometry;
    prepared.dicom = std::move(dicom);
  }
  return prepared;
}

} // namespace nesa::analysis
