// Reading a whole file users brought, refusing one larger than its reader accepts.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace nesa::ingest {

/// The bytes of `file`; an InvalidInput error saying `tooLarge` when it holds more than `limit`
/// bytes (checked before anything is read), NotFound or Io when it cannot be read.
Result<std::string> readFileUpTo(const std::filesystem::path &file, std::uintmax_t limit,
                                 const std::string &tooLarge);

} // namespace nesa::ingest
