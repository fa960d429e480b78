#include "registry/model_locations.h"

#include "util/paths.h"

namespace nesa::registry {

std::filesystem::path userModelsFolder() { return paths::dataDir() / "models"; }

std::vector<std::filesystem::path> builtInModelFolders() {
  std::vector<std::filesystem::path> folders;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec)
    folders.push_back(self.parent_path().parent_path() / "share" / "nesa" / "models");
  folders.emplace_back(NESA_SOURCE_MODELS_DIR);
  return folders;
}

} // namespace nesa::registry
