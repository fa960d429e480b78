#!/usr/bin/env bash
# The end-to-end run of the real app, and the screenshots of its pages. Starts a local network
# (nesa chain devnet: anvil, the Nesa contracts and miner processes), restores the devnet's publicly known demo
# wallet into a scratch home, then runs nesa-desktop under Xvfb: it opens the real Colin27 T1
# scan, runs the built-in brain-extraction model at `hss` on the devnet's miners and saves the
# result; then it shows the wallet page with the demo account's balance, and the miner page
# with a miner of this computer started by `nesa miner start`, and the network, history (the run
# above, from the encrypted store), audit (its records) and settings pages, and the first-run wizard's recovery-phrase page.
# Usage: scripts/screenshots.sh [--docs]   (PNGs in build/screenshots/; --docs also copies them
#                                           to docs/screenshots/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/screenshots
scan=/usr/share/mricron/templates/ch2.nii.gz
[[ -f "$scan" ]] || { echo "screenshots.sh: $scan is missing (scripts/install-deps.sh)" >&2; exit 1; }
mkdir -p "$out"
home=$(mktemp -d)
node_pid=
cleanup() {
  [[ -n "$node_pid" ]] && kill "$node_pid" 2>/dev/null && wait "$node_pid" 2>/dev/null
  rm -rf "$home"
}
trap cleanup EXIT
export NESA_HOME="$home" NESA_WALLET_PASSPHRASE="screenshots only"
demo="abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art"
printf '%s\n' "$demo" | build/bin/nesa wallet restore >/dev/null
build/bin/nesa config set auditLog true >/dev/null # the run below is on record for the audit page
build/bin/nesa chain devnet --miners 2 >"$home/devnet.log" 2>&1 &
node_pid=$!
for _ in $(seq 120); do build/bin/nesa chain status >/dev/null 2>&1 && break; sleep 0.5; done
build/bin/nesa chain status >/dev/null || { cat "$home/devnet.log" >&2; exit 1; }

desktop() { xvfb-run -a -s "-screen 0 1280x800x24" build/bin/nesa-desktop "$@"; }
# shot NAME ARGS...: runs the app with ARGS, which must save build/screenshots/NAME.png.
shot() {
  local name=$1
  shift
  desktop "$@" --screenshot "$out/$name.png"
  [[ -s "$out/$name.png" ]] || { echo "screenshots.sh: no $name screenshot" >&2; exit 1; }
  echo "screenshots.sh: $out/$name.png"
}
start=$SECONDS
shot analyze-brain-hss --run brain-extraction --privacy hss \
  --screenshot-share "$out/analyze-what-the-miners-saw.png" "$scan"
[[ -s "$out/analyze-what-the-miners-saw.png" ]] || { echo "screenshots.sh: no share screenshot" >&2; exit 1; }
echo "screenshots.sh: the run took $((SECONDS - start)) s"
shot wallet --show wallet
# A miner of this computer: the devnet gives it the minimum stake; it registers on its own.
build/bin/nesa miner start --threads 1 >/dev/null
for _ in $(seq 60); do
  build/bin/nesa miner status --json | grep -q '"registered": true' && break
  sleep 0.5
done
shot miner --show miner
shot network --show network # with this computer's miner in it
build/bin/nesa miner stop >/dev/null
shot history --show history
shot audit --show audit # the run's records, from the encrypted audit log
shot settings --show settings
shot first-run --first-run # a fresh phrase; no wallet is created
if [[ "${1:-}" == "--docs" ]]; then
  mkdir -p docs/screenshots
  cp "$out"/*.png docs/screenshots/
fi
