#!/usr/bin/env bash
# Installs the Debian 12 packages Nesa Desktop needs to build, test and run.
# Only missing packages are installed; a machine that has them all is left alone.
# Usage: scripts/install-deps.sh [--print]   (--print lists the packages and exits)
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # LLVM's linker: about four times faster than GNU ld on our programs (cmake/NesaCompileOptions.cmake)
  lld
  # Qt 6 (Charts needs the OpenGL dev package to be found)
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-charts-dev qt6-svg-dev
  libqt6opengl6-dev libqt6sql6-sqlite libgl-dev
  # libtorch, with the OpenMP OpenBLAS so at::set_num_threads is honoured
  libtorch-dev libopenblas0-openmp
  # crypto and storage; secp256k1 and Keccak-256 for the EVM chain
  libsqlcipher-dev libssl-dev libsodium-dev libsecp256k1-dev libcrypto++-dev
  # medical image formats, documents and OCR, and image formats beyond Qt's built-in ones (TIFF)
  libdcmtk-dev libnifti2-dev zlib1g-dev libpoppler-qt6-dev libzip-dev libzstd-dev qt6-image-formats-plugins
  libtesseract-dev tesseract-ocr-eng
  # ONNX models: the schema (protobuf), ONNX's own backend test data, and PyTorch's exporter
  # (Debian's python3-torch) that writes the test's models
  libonnx-dev libprotobuf-dev libonnx-testdata python3-torch
  # DICOM results: dciodvfy validates the SEG and SR we write; DCMTK's tools read and send DICOM
  dicom3tools dcmtk
  # a real PACS in the tests: Orthanc with its DICOMweb plugin (run unprivileged on loopback)
  orthanc orthanc-dicomweb
  # a real audit repository in the tests: rsyslog taking syslog over TLS (RFC 5425) on loopback
  rsyslog rsyslog-gnutls
  # single sign-on: Qt's OAuth flow, ID tokens verified with rhonabwy; a real OpenID Connect provider in the
  # tests (glewlwyd on loopback, its SQLite database made with sqlite3)
  qt6-networkauth-dev librhonabwy-dev libjansson-dev glewlwyd sqlite3
  # real scans: Colin27 T1 and atlases (the built-in brain models are trained and tested on it)
  mricron-data
  # the BIP39 English word list (compiled into the wallet)
  python3-mnemonic
  # network, serialization, logging
  libboost-dev libboost-system-dev flatbuffers-compiler libflatbuffers-dev nlohmann-json3-dev
  libspdlog-dev
  # MetaInf's gradient-boosting models (XGBoost's C API)
  libxgboost-dev
  # QR codes of wallet addresses in the desktop app
  libqrencode-dev
  # GUI tests and screenshots
  xvfb xauth imagemagick
  # uploads to the local API in its tests
  curl
  # fuzzing the file readers (libFuzzer comes with clang's runtime libraries)
  clang libclang-rt-14-dev
  # the Debian package: icons, man pages, and its checks (scripts/package.sh)
  librsvg2-bin help2man lintian appstream desktop-file-utils systemd file procps
  # what the package depends on or recommends beyond the build's libraries (packaging/)
  qt6-qpa-plugins qt6-wayland
)

# Node.js runs the JavaScript reference of the imported TF.js model in the tests. A Node.js from
# elsewhere (with its own npm) is kept; Debian's packages are installed only when there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

if [[ "${1:-}" == "--print" ]]; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
else
  echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# If the pthread OpenBLAS is also present, apt may have made it the default; it ignores
# at::set_num_threads (see STACK.md). Select the OpenMP flavour explicitly.
openmp_dir=/usr/lib/x86_64-linux-gnu/openblas-openmp
if [[ -e "$openmp_dir/libblas.so.3" ]] && command -v update-alternatives >/dev/null; then
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" update-alternatives --quiet --set libblas.so.3-x86_64-linux-gnu "$openmp_dir/libblas.so.3" || true
  "${sudo_cmd[@]}" update-alternatives --quiet --set liblapack.so.3-x86_64-linux-gnu "$openmp_dir/liblapack.so.3" || true
fi

# npm packages, each folder pinned by its package-lock.json and installed into its own
# node_modules (no global install), again only when the lockfile changed. npm's install scripts
# are not needed (anvil's binary is in its package).
#   contracts/          the contract tools: solcjs, OpenZeppelin and the local chain node (anvil)
#   tests/api_clients/  OpenAI's and Ollama's client libraries, which the local API's tests drive
#   tests/dicom_js/     dcmjs, the independent reader the tests decode our DICOM SEG and SR with
#   tests/llama_cpp/    llama.cpp's prebuilt CPU libraries (node-llama-cpp), the reference of the
#                       GGUF tests; its C headers come from the llama.cpp source bundle it carries
root_dir=$(cd "$(dirname "$0")/.." && pwd)
for npm_dir in "$root_dir/contracts" "$root_dir/tests/api_clients" "$root_dir/tests/dicom_js" \
  "$root_dir/tests/llama_cpp"; do
  stamp="$npm_dir/node_modules/.nesa-lockfile"
  if ! cmp -s "$npm_dir/package-lock.json" "$stamp"; then
    echo "install-deps: installing the npm packages of ${npm_dir#"$root_dir"/} (npm ci)"
    omit=()
    [[ "$npm_dir" == */llama_cpp ]] && omit=(--omit=optional) # its GPU builds: not needed
    (cd "$npm_dir" && npm ci "${omit[@]}" --ignore-scripts --no-audit --no-fund --loglevel=error)
    cp "$npm_dir/package-lock.json" "$stamp"
  fi
done

llama_dir="$root_dir/tests/llama_cpp/node_modules"
if [[ ! -e "$llama_dir/.nesa-headers/include/llama.h" ]]; then
  echo "install-deps: extracting llama.cpp's headers from its source bundle"
  scratch=$(mktemp -d)
  git clone -q --bare "$llama_dir/node-llama-cpp/llama/gitRelease.bundle" "$scratch/llama.git"
  rm -rf "$llama_dir/.nesa-headers"
  mkdir -p "$llama_dir/.nesa-headers"
  git --git-dir="$scratch/llama.git" archive HEAD include ggml/include |
    tar -x -C "$llama_dir/.nesa-headers"
  rm -rf "$scratch"
fi
