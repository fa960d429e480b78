// Helpers for the fuzz targets: readers that take a path get each input as a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace nesa::fuzz {

/// Writes the input to a per-process file with `extension` (".dcm", ".nii", ...) and returns it.
inline std::filesystem::path inputFile(const std::uint8_t *data, std::size_t size,
                                       const std::string &extension) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("nesa-fuzz-" + std::to_string(getpid()) + extension);
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  return file;
}

/// True when the input starts with `magic`.
inline bool startsWith(const std::uint8_t *data, std::size_t size, const std::string &magic) {
  return size >= magic.size() && std::equal(magic.begin(), magic.end(), data);
}

} // namespace nesa::fuzz
