// 2-D images (PNG, JPEG, TIFF, BMP) through Qt's image readers.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace nesa::ingest {

/// An image as floats in [0, 255], row-major, channels interleaved.
struct Image {
  int width = 0;
  int height = 0;
  int channels = 0; ///< 1 (grey) or 3 (RGB); alpha is dropped
  std::vector<float> pixels;
  std::string format; ///< "png", "jpeg", "tiff", "bmp"
};

/// Reads `file`; grey-scale images keep one channel, everything else becomes RGB.
Result<Image> readImage(const std::filesystem::path &file);

} // namespace nesa::ingest
