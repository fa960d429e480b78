#include "ingest/internal/file_bytes.h"

#include <fstream>

namespace nesa::ingest {

Result<std::string> readFileUpTo(const std::filesystem::path &file, std::uintmax_t limit,
                                 const std::string &tooLarge) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  if (ec)
    return fail(ErrorCode::NotFound, "cannot read " + file.string());
  if (size > limit)
    return fail(ErrorCode::InvalidInput, tooLarge);
  std::ifstream in(file, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size)))
    return fail(ErrorCode::Io, "cannot read " + file.string());
  return bytes;
}

} // namespace nesa::ingest
