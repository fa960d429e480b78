// Where the registry lives and where built-in models are found.
#pragma once

#include <filesystem>
#include <vector>

namespace nesa::registry {

/// The user's registry folder: paths::dataDir()/models.
std::filesystem::path userModelsFolder();

/// The built-in model folder: share/nesa/models of an installed program, or the source tree's
/// models/ for this build's own programs (paths::shippedData).
std::vector<std::filesystem::path> builtInModelFolders();

} // namespace nesa::registry
