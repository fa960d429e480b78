#!/usr/bin/env bash
# Fetches the real scans the ingest tests read: DICOM files from Debian's python3-pydicom and
# NIfTI volumes from python3-nibabel (their own test data), unpacked without installing them.
# Usage: scripts/fetch-test-data.sh DEST   (does nothing when DEST is already complete)
set -euo pipefail
dest=${1:?usage: fetch-test-data.sh DEST}
marker="$dest/.complete"
[[ -f "$marker" ]] && exit 0
mkdir -p "$dest"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download python3-pydicom python3-nibabel >/dev/null 2>&1; then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  apt-get download python3-pydicom python3-nibabel
fi
for deb in ./*.deb; do dpkg-deb -x "$deb" unpacked; done
dicom=unpacked/usr/lib/python3/dist-packages/pydicom/data/test_files
nifti=unpacked/usr/lib/python3/dist-packages/nibabel/tests/data
mkdir -p "$dest/dicom" "$dest/nifti"
cp "$dicom"/{MR_small.dcm,MR_small_RLE.dcm,MR_small_bigendian.dcm,MR_small_implicit.dcm,MR_small_jpeg_ls_lossless.dcm,MR_small_jp2klossless.dcm,MR_truncated.dcm,CT_small.dcm} "$dest/dicom/"
cp "$nifti"/{anatomical.nii,example_nifti2.nii.gz,example4d.nii.gz,standard.nii.gz} "$dest/nifti/"
touch "$marker"
echo "fetch-test-data: real scans in $dest"
