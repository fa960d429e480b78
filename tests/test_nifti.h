// NIfTI-1 files written by tests byte by byte (no library), for volumes and broken headers.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

namespace nesa::testing {

/// A NIfTI-1 header (348 bytes + 4 of extension flags) for an nx × ny × nz volume of
/// `datatype` (2 uint8, 4 int16, 16 float32, 64 float64) with `spacing` mm voxels.
inline std::string niftiHeader(std::int16_t nx, std::int16_t ny, std::int16_t nz,
                               std::int16_t datatype, std::int16_t bitpix, float spacing = 1,
                               const char *magic = "n+1") {
  std::string h(352, '\0');
  auto put = [&](std::size_t offset, const void *value, std::size_t size) {
    std::memcpy(h.data() + offset, value, size);
  };
  const std::int32_t size = 348;
  put(0, &size, 4);
  const std::int16_t dims[8] = {3, nx, ny, nz, 1, 1, 1, 1};
  put(40, dims, sizeof dims);
  put(70, &datatype, 2);
  put(72, &bitpix, 2);
  const float pixdim[8] = {1, spacing, spacing, spacing, 1, 1, 1, 1};
  put(76, pixdim, sizeof pixdim);
  const float offset = 352;
  put(108, &offset, 4);
  put(344, magic, std::strlen(magic) + 1);
  return h;
}

} // namespace nesa::testing
