#!/usr/bin/env bash
# Builds Nesa Desktop and runs every test, on a fresh Debian 12 machine or an existing checkout.
#   scripts/test.sh                 install missing packages, build, run all tests, fuzz the file
#                                   readers (FUZZ_SECONDS each, default 20), run the app end to end
#                                   under Xvfb, build the Debian package and test it installed
#                                   (root or sudo: it is installed and purged with apt-get), then
#                                   repeat the tests under AddressSanitizer + UBSan
#   scripts/test.sh --no-sanitize   skip the sanitizer pass
#   scripts/test.sh --only-sanitize run only the sanitizer pass
# Extra arguments after -- go to ctest (e.g. -- -R storage, -- -L gpu).
set -euo pipefail
cd "$(dirname "$0")/.."

run_default=1
run_sanitize=1
ctest_args=()
while (($#)); do
  case "$1" in
    --no-sanitize) run_sanitize=0 ;;
    --only-sanitize) run_default=0 ;;
    --) shift; ctest_args=("$@"); break ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done

scripts/install-deps.sh
jobs=$(nproc)
export QT_QPA_PLATFORM=offscreen

run_preset() {
  local preset=$1
  local start=$SECONDS
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== $preset: test"
  ctest --preset "$preset" -j "$jobs" "${ctest_args[@]}"
  echo "== $preset: done in $((SECONDS - start)) s"
}

((run_default)) && run_preset default
# The file readers under libFuzzer for a bounded time (FUZZ_SECONDS per target, default 20).
((run_default)) && { echo "== fuzz"; scripts/fuzz.sh "${FUZZ_SECONDS:-20}"; }
# The real app under Xvfb on a local devnet: the brain model at hss on Colin27, screenshot saved.
((run_default)) && { echo "== end-to-end (desktop app)"; scripts/screenshots.sh; }
# The Debian package: built, checked, installed, run from its installed paths, purged.
((run_default)) && { echo "== package"; scripts/package.sh --check; }
((run_sanitize)) && run_preset asan
echo "All tests passed."
