// Replacing a small file so that a crash leaves either the old or the new contents, never a
// mixture: settings, daemon files, deployment files, transaction journals.
#pragma once

#include "util/result.h"

#include <filesystem>
#include <string_view>

namespace nesa {

/// Writes `contents` to `file` through a temporary beside it, flushed to disk, then renamed over
/// it (and the folder synced); creates the folder when missing.
Result<void> writeFileAtomically(const std::filesystem::path &file, std::string_view contents);

} // namespace nesa
