#include "ingest/nifti_writer.h"

#include "ingest/nifti_reader.h"

#include <nifti2_io.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>

namespace nesa::ingest {
namespace {

namespace fs = std::filesystem;

struct NiftiDeleter {
  void operator()(nifti_image *image) const { nifti_image_free(image); }
};

/// The grid's affine with world coordinates in RAS+ (DICOM's LPS+ has x and y the other way).
nifti_dmat44 rasAffine(const VoxelGrid &grid) {
  nifti_dmat44 m{};
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c)
      m.m[r][c] = grid.affine[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
  if (grid.coordinateSystem == "LPS")
    for (int c = 0; c < 4; ++c)
      m.m[0][c] = -m.m[0][c], m.m[1][c] = -m.m[1][c];
  return m;
}

} // namespace

Result<void> writeNiftiLabels(const fs::path &file, const LabelMap &map,
                              const std::string &description) {
  const std::string name = file.filename().string();
  if (!isNiftiName(file))
    return fail(ErrorCode::InvalidInput, file.string() + ": a NIfTI file ends in .nii or .nii.gz");
  const auto &shape = map.grid.shape;
  if (shape[0] <= 0 || shape[1] <= 0 || shape[2] <= 0 ||
      static_cast<std::int64_t>(map.labels.size()) != shape[0] * shape[1] * shape[2])
    return fail(ErrorCode::InvalidInput, "the labels do not fill their grid");
  static std::once_flag quiet;
  std::call_once(quiet, [] { nifti_set_debug_level(0); }); // errors come back as our messages
  const std::int64_t dims[8] = {3, shape[2], shape[1], shape[0], 1, 1, 1, 1};
  std::unique_ptr<nifti_image, NiftiDeleter> image(nifti_make_new_nim(dims, DT_UINT8, 0));
  if (!image)
    return fail(ErrorCode::Io, "cannot make a NIfTI image");
  image->data = std::malloc(map.labels.size());
  if (!image->data)
    return fail(ErrorCode::Io, "out of memory for the NIfTI image");
  std::memcpy(image->data, map.labels.data(), map.labels.size());

  const nifti_dmat44 affine = rasAffine(map.grid);
  double spacing[3];
  for (int c = 0; c < 3; ++c)
    spacing[c] = std::sqrt(affine.m[0][c] * affine.m[0][c] + affine.m[1][c] * affine.m[1][c] +
                           affine.m[2][c] * affine.m[2][c]);
  image->dx = image->pixdim[1] = spacing[0];
  image->dy = image->pixdim[2] = spacing[1];
  image->dz = image->pixdim[3] = spacing[2];
  image->xyz_units = NIFTI_UNITS_MM;
  image->sform_code = NIFTI_XFORM_SCANNER_ANAT;
  image->sto_xyz = affine;
  image->sto_ijk = nifti_dmat44_inverse(affine);
  image->qform_code = NIFTI_XFORM_SCANNER_ANAT;
  double qdx = 0, qdy = 0, qdz = 0; // (the spacing again)
  nifti_dmat44_to_quatern(affine, &image->quatern_b, &image->quatern_c, &image->quatern_d,
                          &image->qoffset_x, &image->qoffset_y, &image->qoffset_z, &qdx, &qdy, &qdz,
                          &image->qfac);
  image->qto_xyz = nifti_quatern_to_dmat44(image->quatern_b, image->quatern_c, image->quatern_d,
                                           image->qoffset_x, image->qoffset_y, image->qoffset_z,
                                           image->dx, image->dy, image->dz, image->qfac);
  image->qto_ijk = nifti_dmat44_inverse(image->qto_xyz);
  image->intent_code = NIFTI_INTENT_LABEL;
  image->cal_min = 0;
  image->cal_max = *std::max_element(map.labels.begin(), map.labels.end());
  std::strncpy(image->descrip, description.c_str(), sizeof image->descrip - 1);
  image->nifti_type = NIFTI_FTYPE_NIFTI1_1;

  // Written beside the target under a name with the same ending (it picks compression), then
  // renamed over it: a reader never sees half a file.
  const fs::path folder = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    return fail(ErrorCode::Io, "cannot write " + file.string() + ": no folder " + folder.string());
  const fs::path partial = folder / (".partial-" + name);
  if (nifti_set_filenames(image.get(), partial.c_str(), 0, 1) != 0)
    return fail(ErrorCode::Io, "cannot write " + file.string());
  nifti_image_write(image.get());
  // nifti_image_write says nothing of a failure: the file is read back, voxels and all.
  std::unique_ptr<nifti_image, NiftiDeleter> check(nifti_image_read(partial.c_str(), 1));
  const bool whole = check && check->data && check->datatype == DT_UINT8 &&
                     check->nvox == static_cast<std::int64_t>(map.labels.size()) &&
                     std::memcmp(check->data, map.labels.data(), map.labels.size()) == 0;
  if (!whole) {
    fs::remove(partial, ec);
    return fail(ErrorCode::Io,
                "cannot write " + file.string() + " (is the folder writable, the disk full?)");
  }
  fs::rename(partial, file, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(partial, ec);
    return fail(ErrorCode::Io, "cannot write " + file.string() + ": " + why);
  }
  return {};
}

} // namespace nesa::ingest
