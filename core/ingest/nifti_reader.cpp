#include "ingest/nifti_reader.h"

#include <nifti2_io.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>

namespace nesa::ingest {
namespace {

template <typename T>
void convert(const void *data, std::int64_t n, double slope, double intercept, float *out) {
  const auto *in = static_cast<const T *>(data);
  for (std::int64_t i = 0; i < n; ++i)
    out[i] = static_cast<float>(static_cast<double>(in[i]) * slope + intercept);
}

struct NiftiDeleter {
  void operator()(nifti_image *image) const { nifti_image_free(image); }
};

} // namespace

std::int64_t Volume::count() const {
  std::int64_t n = 1;
  for (auto d : shape)
    n *= d;
  return n;
}

namespace {

// The voxel data the header announces must be in the file: checked against the file size for
// .nii and against gzip's recorded length (ISIZE, modulo 4 GiB) for .nii.gz — or, from 4 GiB on,
// against the most deflate can expand the compressed bytes (1032-fold).
Result<void> dataFitsTheFile(const std::filesystem::path &file, const nifti_image &image) {
  const auto needed =
      static_cast<std::uint64_t>(image.iname_offset) +
      static_cast<std::uint64_t>(image.nvox) * static_cast<std::uint64_t>(image.nbyper);
  if (needed > (std::uint64_t{16} << 30))
    return fail(ErrorCode::InvalidInput, file.string() + " announces more than 16 GiB of voxels");
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec)
    return fail(ErrorCode::Io, "cannot read " + file.string());
  std::uint64_t available = size;
  if (image.fname && nifti_is_gzfile(image.fname)) {
    if (needed >= (std::uint64_t{1} << 32)) {
      // ISIZE cannot tell; no deflate stream expands more than 1032-fold, so a small file
      // announcing gigabytes is refused before they are allocated.
      available = size * 1032;
    } else {
      std::ifstream in(file, std::ios::binary);
      unsigned char trailer[4] = {};
      in.seekg(-4, std::ios::end);
      in.read(reinterpret_cast<char *>(trailer), 4);
      available = trailer[0] | trailer[1] << 8 | trailer[2] << 16 | std::uint64_t{trailer[3]} << 24;
    }
  }
  if (available < needed)
    return fail(ErrorCode::Corrupt, file.string() + " is truncated: its header announces " +
                                        std::to_string(needed) + " bytes, the file holds " +
                                        std::to_string(available));
  return {};
}

} // namespace

bool isNiftiName(const std::filesystem::path &file) {
  const std::string name = file.filename().string();
  for (const std::string suffix : {".nii", ".nii.gz"})
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      return true;
  return false;
}

Result<Volume> readNifti(const std::filesystem::path &file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    return fail(ErrorCode::NotFound, "no NIfTI file at " + file.string());
  static std::once_flag quiet;
  std::call_once(quiet, [] { nifti_set_debug_level(0); }); // errors come back as our messages
  // The header first: its sizes are checked against the file before any voxel is allocated.
  std::unique_ptr<nifti_image, NiftiDeleter> image(nifti_image_read(file.c_str(), 0));
  if (!image)
    return fail(ErrorCode::Corrupt,
                file.string() + " is not a readable NIfTI file (damaged or truncated?)");
  if (image->ndim < 2 || image->ndim > 4 || image->nvox <= 0 || image->nbyper <= 0 ||
      image->nvox > (std::int64_t{1} << 31))
    return fail(ErrorCode::InvalidInput,
                file.string() + " is not a 2-D to 4-D volume of a supported size");
  // Each size is at most nvox (≤ 2^31) before any product, so no product can overflow.
  const std::int64_t depth = std::max<std::int64_t>(image->nz, 1),
                     frames = image->ndim == 4 ? std::max<std::int64_t>(image->nt, 1) : 1;
  const auto withinVolume = [&](std::int64_t size) { return size > 0 && size <= image->nvox; };
  if (!withinVolume(image->nx) || !withinVolume(image->ny) || !withinVolume(depth) ||
      !withinVolume(frames) || image->nx * image->ny > image->nvox ||
      image->nx * image->ny * depth > image->nvox ||
      image->nx * image->ny * depth * frames != image->nvox)
    return fail(ErrorCode::Corrupt,
                file.string() + ": the header's dimensions contradict each other");
  if (auto fits = dataFitsTheFile(file, *image); !fits)
    return fits.error();
  if (nifti_image_load(image.get()) != 0 || !image->data)
    return fail(ErrorCode::Corrupt, file.string() + ": the voxel data cannot be read (truncated?)");

  Volume volume;
  // The image struct does not reliably record the version (nifti_type says 1 for some NIfTI-2
  // files), so ask the header itself.
  int version = 0;
  std::free(nifti_read_header(file.c_str(), &version, 0));
  volume.format = version == 2 ? "NIfTI-2" : "NIfTI-1";
  const std::int64_t nt = image->ndim == 4 ? image->nt : 1;
  volume.shape = {image->nz > 0 ? image->nz : 1, image->ny, image->nx};
  if (nt > 1)
    volume.shape.insert(volume.shape.begin(), nt);
  volume.spacing = {image->dx, image->dy, image->dz > 0 ? image->dz : 1.0};
  const double slope = image->scl_slope != 0 ? image->scl_slope : 1.0;
  const double intercept = image->scl_slope != 0 ? image->scl_inter : 0.0;
  volume.voxels.resize(static_cast<std::size_t>(volume.count()));
  float *out = volume.voxels.data();
  const std::int64_t n = volume.count();
  switch (image->datatype) {
  case DT_UINT8: convert<std::uint8_t>(image->data, n, slope, intercept, out); break;
  case DT_INT8: convert<std::int8_t>(image->data, n, slope, intercept, out); break;
  case DT_INT16: convert<std::int16_t>(image->data, n, slope, intercept, out); break;
  case DT_UINT16: convert<std::uint16_t>(image->data, n, slope, intercept, out); break;
  case DT_INT32: convert<std::int32_t>(image->data, n, slope, intercept, out); break;
  case DT_UINT32: convert<std::uint32_t>(image->data, n, slope, intercept, out); break;
  case DT_INT64: convert<std::int64_t>(image->data, n, slope, intercept, out); break;
  case DT_UINT64: convert<std::uint64_t>(image->data, n, slope, intercept, out); break;
  case DT_FLOAT32: convert<float>(image->data, n, slope, intercept, out); break;
  case DT_FLOAT64: convert<double>(image->data, n, slope, intercept, out); break;
  default:
    return fail(ErrorCode::InvalidInput,
                file.string() + " holds " + nifti_datatype_string(image->datatype) +
                    " voxels, which cannot be analyzed (scalar volumes only)");
  }
  // The sform is the scanner's own statement; the qform is the fallback; else voxel units.
  const auto &matrix = image->sform_code > 0 ? image->sto_xyz : image->qto_xyz;
  const bool known = image->sform_code > 0 || image->qform_code > 0;
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c)
      volume.affine[r][c] =
          known ? matrix.m[r][c] : (r == c ? (r < 3 ? volume.spacing[r] : 1.0) : 0.0);
  volume.coordinateSystem = "RAS";
  // A display window spanning the data: NIfTI has no window of its own unless cal_min/max.
  float low = out[0], high = out[0];
  for (std::int64_t i = 1; i < n; ++i) {
    low = std::min(low, out[i]);
    high = std::max(high, out[i]);
  }
  if (image->cal_max > image->cal_min) {
    low = static_cast<float>(image->cal_min);
    high = static_cast<float>(image->cal_max);
  }
  volume.windowCenter = (low + high) / 2.0;
  volume.windowWidth = std::max(1e-6, static_cast<double>(high - low));
  return volume;
}

} // namespace nesa::ingest
