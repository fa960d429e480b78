#include "registry/model_locations.h"

#include "util/paths.h"

namespace nesa::registry {

std::filesystem::path userModelsFolder() { return paths::dataDir() / "models"; }

std::vector<std::filesystem::path> builtInModelFolders() {
  return {paths::shippedData("share/nesa/models", NESA_SOURCE_MODELS_DIR)};
}

} // namespace nesa::registry
