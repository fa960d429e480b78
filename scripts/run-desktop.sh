#!/usr/bin/env bash
# Installs what is missing, builds, and starts the Nesa Desktop app on its default network:
# the embedded local devnet (everything on this computer). Arguments go to nesa-desktop
# (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)" --target nesa-desktop nesa-node nesa nesa-analyze nesa-miner nesa-model
exec build/bin/nesa-desktop "$@"
