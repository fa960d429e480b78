// Where the registry lives and where built-in models are found.
#pragma once

#include <filesystem>
#include <vector>

namespace nesa::registry {

/// The user's registry folder: paths::dataDir()/models.
std::filesystem::path userModelsFolder();

/// Built-in model folders, first match wins: share/nesa/models beside the installed program,
/// then the source tree's models/ (development builds).
std::vector<std::filesystem::path> builtInModelFolders();

} // namespace nesa::registry
