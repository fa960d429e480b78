#!/usr/bin/env bash
# Runs clang-tidy (root .clang-tidy) over the project's C++ sources, using build/'s compile
# database (run scripts/test.sh or `cmake --preset default` first). Arguments: files to check
# (default: every .cpp outside tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/compile_commands.json ]] || { echo "tidy.sh: configure first: cmake --preset default" >&2; exit 2; }
if (($#)); then files=("$@"); else mapfile -t files < <(git ls-files '*.cpp' | grep -v '^tests/'); fi
clang-tidy -p build --quiet "${files[@]}"
