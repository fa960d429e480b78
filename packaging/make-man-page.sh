#!/usr/bin/env bash
# Writes the man page of one of our programs from its --help (help2man), gzipped.
# Usage: make-man-page.sh BIN_DIR PROGRAM VERSION "ONE-LINE DESCRIPTION" OUT.1.gz
set -euo pipefail
bin_dir=$1 program=$2 version=$3 name=$4 out=$5
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
# The program is found on PATH so that its usage lines name it, not the build folder. It runs
# in an empty scratch home and without a display.
PATH="$bin_dir:$PATH" NESA_HOME="$home" QT_QPA_PLATFORM=offscreen LC_ALL=C.UTF-8 \
  help2man --no-info --version-string="$version" --name="$name" \
  --source="Nesa Desktop $version" --section=1 --output="${out%.gz}" "$program"
gzip -9nf "${out%.gz}"
