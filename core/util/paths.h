// Where Nesa keeps its files, following the XDG base-directory specification.
#pragma once

#include <filesystem>

namespace nesa::paths {

/// Per-user data (stores, wallets, bundles): $NESA_HOME, else $XDG_DATA_HOME/nesa,
/// else ~/.local/share/nesa.
std::filesystem::path dataDir();

/// Per-user configuration: $NESA_HOME, else $XDG_CONFIG_HOME/nesa, else ~/.config/nesa.
std::filesystem::path configDir();

/// The JSON configuration file inside configDir().
std::filesystem::path configFile();

/// Re-creatable downloads (model bundles): $NESA_HOME/cache, else $XDG_CACHE_HOME/nesa,
/// else ~/.cache/nesa.
std::filesystem::path cacheDir();

/// The read-only data installed with the programs, `<prefix>/<relative>` where the running
/// program is `<prefix>/bin/NAME` (so /usr/share/nesa/... for a packaged install), or an empty
/// path when that folder does not exist (a program run from the build tree). Callers then fall
/// back to the build tree's copy.
std::filesystem::path installed(const std::filesystem::path &relative);

} // namespace nesa::paths
