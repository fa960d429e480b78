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

/// Where read-only data shipped with the programs lives: `buildTreeCopy` when the running
/// program is one of this build's (build/bin), else `<prefix>/<relative>` where the program is
/// `<prefix>/bin/NAME` (so /usr/share/nesa/... for the Debian package). An installed program
/// never reads the build or source tree, even when one exists on the same machine.
std::filesystem::path shippedData(const std::filesystem::path &relative,
                                  const std::filesystem::path &buildTreeCopy);

} // namespace nesa::paths
