#include "registry/model_locations.h"

#include "util/paths.h"

namespace nesa::registry {

std::filesystem::path userModelsFolder() { return paths::dataDir() / "models"; }

std::vector<std::filesystem::path> builtInModelFolders() {
  std::vector<std::filesystem::path> folders;
  if (auto installed = paths::installed("share/nesa/models"); !installed.empty())
    folders.push_back(std::move(installed));
  folders.emplace_back(NESA_SOURCE_MODELS_DIR);
  return folders;
}

} // namespace nesa::registry
