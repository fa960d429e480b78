#!/usr/bin/env bash
# Fetches the real data the tests read, once, into DEST (nothing is committed):
#   dicom/, nifti/  DICOM files from Debian's python3-pydicom and NIfTI volumes from
#                   python3-nibabel (their own test data), unpacked without installing them
#   photos/         photographs from Debian's python3-skimage (PNG and JPEG)
#   nsfwjs/         npm's nsfwjs@4.3.0 (MIT) with TensorFlow.js (the reference implementation),
#                   and its three models written out as standard model.json + weight shards:
#                   MobileNetV2 and InceptionV3 (layers models), MobileNetV2Mid (a graph model)
# Usage: scripts/fetch-test-data.sh DEST   (parts already complete are skipped)
set -euo pipefail
dest=${1:?usage: fetch-test-data.sh DEST}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

download() { # download PACKAGE... into $work and unpack them into $work/unpacked
  (cd "$work" && if ! apt-get download "$@" >/dev/null 2>&1; then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    apt-get download "$@"
  fi
  for deb in ./*.deb; do dpkg-deb -x "$deb" unpacked; done; rm -f ./*.deb)
}

if [[ ! -f "$dest/.scans-complete" ]]; then
  download python3-pydicom python3-nibabel
  dicom=$work/unpacked/usr/lib/python3/dist-packages/pydicom/data/test_files
  nifti=$work/unpacked/usr/lib/python3/dist-packages/nibabel/tests/data
  mkdir -p "$dest/dicom" "$dest/nifti"
  cp "$dicom"/{MR_small.dcm,MR_small_RLE.dcm,MR_small_bigendian.dcm,MR_small_implicit.dcm,MR_small_jpeg_ls_lossless.dcm,MR_small_jp2klossless.dcm,MR_truncated.dcm,CT_small.dcm} "$dest/dicom/"
  cp "$nifti"/{anatomical.nii,example_nifti2.nii.gz,example4d.nii.gz,standard.nii.gz} "$dest/nifti/"
  touch "$dest/.scans-complete"
  echo "fetch-test-data: real scans in $dest"
fi

if [[ ! -f "$dest/.photos-complete" ]]; then
  download python3-skimage
  photos=$work/unpacked/usr/lib/python3/dist-packages/skimage/data
  mkdir -p "$dest/photos"
  cp "$photos"/{astronaut.png,chelsea.png,coffee.png,motorcycle_left.png,rocket.jpg,hubble_deep_field.jpg,retina.jpg} "$dest/photos/"
  touch "$dest/.photos-complete"
  echo "fetch-test-data: photos in $dest/photos"
fi

if [[ ! -f "$dest/.nsfwjs-models-complete" ]]; then
  mkdir -p "$dest/nsfwjs"
  (cd "$dest/nsfwjs" && echo '{"private": true}' >package.json &&
    npm install --no-audit --no-fund --loglevel=error \
      nsfwjs@4.3.0 @tensorflow/tfjs@4.22.0 buffer@6.0.3 >/dev/null)
  node "$root/tests/fixtures/nsfwjs_extract.cjs" "$dest/nsfwjs/node_modules" "$dest/nsfwjs"
  touch "$dest/.nsfwjs-models-complete"
fi
