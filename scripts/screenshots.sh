#!/usr/bin/env bash
# The end-to-end run of the real app: starts nesa-desktop under Xvfb on the embedded local
# network (a devnet of miner processes started for the run), opens the real Colin27 T1 scan,
# runs the built-in brain-extraction model at `hss`, and saves a screenshot of the result.
# Usage: scripts/screenshots.sh [--docs]   (PNGs in build/screenshots/; --docs also copies them
#                                           to docs/screenshots/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/screenshots
scan=/usr/share/mricron/templates/ch2.nii.gz
[[ -f "$scan" ]] || { echo "screenshots.sh: $scan is missing (scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$out"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export NESA_HOME="$home"
start=$SECONDS
xvfb-run -a -s "-screen 0 1280x800x24" \
  build/bin/nesa-desktop --run brain-extraction --privacy hss \
    --screenshot "$out/analyze-brain-hss.png" "$scan"
[[ -s "$out/analyze-brain-hss.png" ]] || { echo "screenshots.sh: no screenshot was saved" >&2; exit 1; }
echo "screenshots.sh: $out/analyze-brain-hss.png ($((SECONDS - start)) s)"
if [[ "${1:-}" == "--docs" ]]; then
  mkdir -p docs/screenshots
  cp "$out"/*.png docs/screenshots/
fi
