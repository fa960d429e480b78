#include "util/paths.h"

#include <cstdlib>
#include <string>

namespace nesa::paths {
namespace {

std::filesystem::path envPath(const char *name) {
  const char *value = std::getenv(name);
  // XDG: a relative path in these variables is invalid and must be ignored.
  if (value == nullptr || *value == '\0' || value[0] != '/')
    return {};
  return value;
}

std::filesystem::path home() {
  if (auto h = envPath("HOME"); !h.empty())
    return h;
  return std::filesystem::temp_directory_path();
}

std::filesystem::path xdg(const char *variable, const char *fallbackUnderHome) {
  if (auto override = envPath("NESA_HOME"); !override.empty())
    return override;
  if (auto base = envPath(variable); !base.empty())
    return base / "nesa";
  return home() / fallbackUnderHome / "nesa";
}

} // namespace

std::filesystem::path dataDir() { return xdg("XDG_DATA_HOME", ".local/share"); }

std::filesystem::path configDir() { return xdg("XDG_CONFIG_HOME", ".config"); }

std::filesystem::path configFile() { return configDir() / "config.json"; }

std::filesystem::path cacheDir() {
  if (auto override = envPath("NESA_HOME"); !override.empty())
    return override / "cache";
  return xdg("XDG_CACHE_HOME", ".cache");
}

std::filesystem::path shippedData(const std::filesystem::path &relative,
                                  const std::filesystem::path &buildTreeCopy) {
  std::error_code ec;
  // After an upgrade replaced the file, the link reads "/usr/bin/NAME (deleted)": the folder
  // is still right.
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    return buildTreeCopy;
  const auto folder = self.parent_path();
  if (std::filesystem::equivalent(folder, NESA_BUILD_BIN_DIR, ec))
    return buildTreeCopy;
  return folder.parent_path() / relative;
}

} // namespace nesa::paths
