#!/usr/bin/env bash
# Formats every C++ source of the project in place with the root .clang-format.
#   scripts/format.sh           format
#   scripts/format.sh --check   list files that would change, exit 1 if any
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cpp' '*.cu')
if [[ "${1:-}" == "--check" ]]; then
  clang-format --dry-run --Werror "${files[@]}"
else
  clang-format -i "${files[@]}"
fi
