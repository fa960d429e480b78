// Scratch folders for patient data (a series retrieved from the PACS, DICOM results waiting to be
// sent): private to this user, and named after the process that made them, so that the next
// start can remove what a crash or a kill left behind.
#pragma once

#include <filesystem>
#include <string>

namespace nesa::paths {

/// "<temp>/nesa-private-<pid>-XXXXXX": a template for QTemporaryDir or mkdtemp (both make the
/// folder 0700).
std::string privateScratchTemplate();

/// Removes this user's private scratch folders in `temp` whose process is gone. Folders of a
/// running process (this one included) and of other users stay. Returns how many were removed.
int sweepStalePrivateScratch(
    const std::filesystem::path &temp = std::filesystem::temp_directory_path());

} // namespace nesa::paths
