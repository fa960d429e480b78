# Finds every third-party dependency and wraps each in a Nesa:: target.
# A missing dependency stops configuration with the Debian package that provides it;
# scripts/install-deps.sh installs all of them.

function(nesa_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR
      "Nesa: ${what} was not found. On Debian 12 install it with\n"
      "  sudo apt-get install ${package}\n"
      "or run scripts/install-deps.sh, which installs every dependency.")
  endif()
endfunction()

# --- Qt 6 -------------------------------------------------------------------
find_package(Qt6 6.4 QUIET COMPONENTS Core Gui Widgets Network Concurrent Charts Svg Test LinguistTools)
foreach(_c Core Gui Widgets Network Concurrent Charts Svg Test LinguistTools)
  nesa_require(Qt6${_c}_FOUND "Qt 6 ${_c}"
    "qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-charts-dev qt6-svg-dev libqt6opengl6-dev libgl-dev")
endforeach()
set(CMAKE_AUTOMOC ON)
set(CMAKE_AUTORCC ON)

# --- libsodium (pkg-config only) -------------------------------------------
find_package(PkgConfig)
nesa_require(PKG_CONFIG_FOUND "pkg-config" "pkg-config")
pkg_check_modules(SODIUM QUIET IMPORTED_TARGET libsodium)
nesa_require(SODIUM_FOUND "libsodium" "libsodium-dev")
add_library(Nesa::Sodium ALIAS PkgConfig::SODIUM)

# --- SQLCipher: static archive linked into executables, symbols hidden -------
# Qt's SQLite driver and libtorch (via GDAL/proj) load the system libsqlite3, which exports the
# same sqlite3_* symbols. Linking libsqlcipher.so would silently mix two engines, so the static
# archive goes into each executable with its symbols excluded from the dynamic table.
pkg_check_modules(SQLCIPHER_PC QUIET sqlcipher)
find_path(SQLCIPHER_INCLUDE_DIR sqlcipher/sqlite3.h HINTS ${SQLCIPHER_PC_INCLUDEDIR})
find_library(SQLCIPHER_STATIC_LIBRARY libsqlcipher.a HINTS ${SQLCIPHER_PC_LIBDIR})
nesa_require(SQLCIPHER_INCLUDE_DIR "SQLCipher headers" "libsqlcipher-dev")
nesa_require(SQLCIPHER_STATIC_LIBRARY "SQLCipher static library (libsqlcipher.a)" "libsqlcipher-dev")
find_package(OpenSSL QUIET COMPONENTS Crypto SSL)
nesa_require(OPENSSL_FOUND "OpenSSL libcrypto" "libssl-dev")
find_package(Threads REQUIRED)
add_library(nesa_sqlcipher INTERFACE)
add_library(Nesa::SQLCipher ALIAS nesa_sqlcipher)
target_include_directories(nesa_sqlcipher SYSTEM INTERFACE ${SQLCIPHER_INCLUDE_DIR})
target_compile_definitions(nesa_sqlcipher INTERFACE SQLITE_HAS_CODEC=1)
# libcrypto by path right after the archive: a target name could be merged with an earlier use
# (the wallet links OpenSSL::Crypto too) and land before the archive that needs it.
target_link_libraries(nesa_sqlcipher INTERFACE ${SQLCIPHER_STATIC_LIBRARY} ${OPENSSL_CRYPTO_LIBRARY} Threads::Threads ${CMAKE_DL_LIBS} m)
target_link_options(nesa_sqlcipher INTERFACE "LINKER:--exclude-libs,libsqlcipher.a")

# --- Boost.Beast (header-only; Boost.System for asio errors) ----------------
find_package(Boost 1.74 QUIET COMPONENTS system)
nesa_require(Boost_FOUND "Boost (Beast, Asio, System)" "libboost-dev libboost-system-dev")
add_library(nesa_boost INTERFACE)
add_library(Nesa::Boost ALIAS nesa_boost)
target_link_libraries(nesa_boost INTERFACE Boost::headers Boost::system)

# --- FlatBuffers: the wire schema's compiler and header-only runtime -------------
find_program(FLATC_EXECUTABLE flatc)
find_path(FLATBUFFERS_INCLUDE_DIR flatbuffers/flatbuffers.h)
nesa_require(FLATC_EXECUTABLE "the FlatBuffers compiler (flatc)" "flatbuffers-compiler")
nesa_require(FLATBUFFERS_INCLUDE_DIR "FlatBuffers headers" "libflatbuffers-dev")

# --- Ethereum: secp256k1 (with key recovery) and Keccak-256 ------------------
pkg_check_modules(SECP256K1 QUIET IMPORTED_TARGET libsecp256k1)
nesa_require(SECP256K1_FOUND "libsecp256k1" "libsecp256k1-dev")
add_library(Nesa::Secp256k1 ALIAS PkgConfig::SECP256K1)
pkg_check_modules(CRYPTOPP QUIET IMPORTED_TARGET libcrypto++)
nesa_require(CRYPTOPP_FOUND "Crypto++ (Keccak-256)" "libcrypto++-dev")
add_library(Nesa::CryptoPP ALIAS PkgConfig::CRYPTOPP)

# --- OpenID Connect: the sign-in flow (Qt) and JOSE (ID token signatures) ----------
find_package(Qt6 6.4 QUIET COMPONENTS NetworkAuth)
nesa_require(Qt6NetworkAuth_FOUND "Qt 6 Network Authorization" "qt6-networkauth-dev")
pkg_check_modules(RHONABWY QUIET IMPORTED_TARGET librhonabwy jansson)
nesa_require(RHONABWY_FOUND "rhonabwy (JOSE)" "librhonabwy-dev libjansson-dev")
add_library(Nesa::Rhonabwy ALIAS PkgConfig::RHONABWY)

# --- JSON and logging --------------------------------------------------------
find_package(nlohmann_json 3.10 QUIET)
nesa_require(nlohmann_json_FOUND "nlohmann-json" "nlohmann-json3-dev")
find_package(spdlog QUIET)
nesa_require(spdlog_FOUND "spdlog" "libspdlog-dev")

# --- Medical image formats ---------------------------------------------------
# Debian's CMake config for NIfTI is broken: a hand-made target over nifti2 + znz + zlib.
find_path(NIFTI_INCLUDE_DIR nifti2_io.h PATH_SUFFIXES nifti)
find_library(NIFTI2_LIBRARY nifti2)
find_library(ZNZ_LIBRARY znz)
find_package(ZLIB QUIET)
nesa_require(NIFTI_INCLUDE_DIR "NIfTI headers" "libnifti2-dev")
nesa_require(NIFTI2_LIBRARY "the NIfTI-2 library" "libnifti2-dev")
nesa_require(ZLIB_FOUND "zlib" "zlib1g-dev")
add_library(nesa_nifti INTERFACE)
add_library(Nesa::Nifti ALIAS nesa_nifti)
target_include_directories(nesa_nifti SYSTEM INTERFACE ${NIFTI_INCLUDE_DIR})
target_link_libraries(nesa_nifti INTERFACE ${NIFTI2_LIBRARY} $<$<BOOL:${ZNZ_LIBRARY}>:${ZNZ_LIBRARY}> ZLIB::ZLIB m)
find_package(DCMTK QUIET CONFIG)
nesa_require(DCMTK_FOUND "DCMTK" "libdcmtk-dev")

# --- Documents: PDF text (poppler) and DOCX (a zip of XML) -----------------------
pkg_check_modules(POPPLER QUIET IMPORTED_TARGET poppler-qt6)
nesa_require(POPPLER_FOUND "poppler-qt6" "libpoppler-qt6-dev")
add_library(Nesa::Poppler ALIAS PkgConfig::POPPLER)
pkg_check_modules(LIBZIP QUIET IMPORTED_TARGET libzip)
nesa_require(LIBZIP_FOUND "libzip" "libzip-dev")
add_library(Nesa::Zip ALIAS PkgConfig::LIBZIP)
pkg_check_modules(TESSERACT QUIET IMPORTED_TARGET tesseract lept)
nesa_require(TESSERACT_FOUND "Tesseract OCR" "libtesseract-dev tesseract-ocr-eng")
add_library(Nesa::Tesseract ALIAS PkgConfig::TESSERACT)

# --- The wire: zstd for activations sent at ee to distant miners ----------------------
pkg_check_modules(ZSTD QUIET IMPORTED_TARGET libzstd)
nesa_require(ZSTD_FOUND "libzstd" "libzstd-dev")
add_library(Nesa::Zstd ALIAS PkgConfig::ZSTD)

# --- ONNX models: Debian's compiled schema (onnx_proto, over protobuf) -------------------
find_package(ONNX QUIET CONFIG)
nesa_require(ONNX_FOUND "ONNX" "libonnx-dev libprotobuf-dev")
add_library(nesa_onnx_proto INTERFACE)
add_library(Nesa::OnnxProto ALIAS nesa_onnx_proto)
target_link_libraries(nesa_onnx_proto INTERFACE onnx_proto)
target_compile_definitions(nesa_onnx_proto INTERFACE ONNX_NAMESPACE=onnx ONNX_ML=1)
set(NESA_ONNX_TEST_DATA /usr/share/libonnx-testdata/data CACHE PATH
    "ONNX's backend test cases (libonnx-testdata)")

# --- MetaInf: XGBoost's C API (the gradient-boosting baseline and our selector's correction) ---
find_path(XGBOOST_INCLUDE_DIR xgboost/c_api.h)
find_library(XGBOOST_LIBRARY xgboost)
nesa_require(XGBOOST_INCLUDE_DIR "XGBoost headers" "libxgboost-dev")
nesa_require(XGBOOST_LIBRARY "the XGBoost library" "libxgboost-dev")
add_library(nesa_xgboost INTERFACE)
add_library(Nesa::XGBoost ALIAS nesa_xgboost)
target_include_directories(nesa_xgboost SYSTEM INTERFACE ${XGBOOST_INCLUDE_DIR})
target_link_libraries(nesa_xgboost INTERFACE ${XGBOOST_LIBRARY})

# --- The desktop app: QR codes of addresses ----------------------------------------
pkg_check_modules(QRENCODE QUIET IMPORTED_TARGET libqrencode)
nesa_require(QRENCODE_FOUND "libqrencode" "libqrencode-dev")
add_library(Nesa::QrEncode ALIAS PkgConfig::QRENCODE)

# --- libtorch (Debian's CPU build) ------------------------------------------
# Only targets that run models link it: a program linked with Debian's libtorch loads ~290
# shared libraries and starts about a second slower.
find_package(Torch QUIET CONFIG PATHS /usr/lib/x86_64-linux-gnu/cmake/Torch)
nesa_require(Torch_FOUND "libtorch" "libtorch-dev libopenblas0-openmp")
add_library(nesa_torch INTERFACE)
add_library(Nesa::Torch ALIAS nesa_torch)
target_link_libraries(nesa_torch INTERFACE torch)

# --- CUDA (optional language) ------------------------------------------------
set(NESA_HAVE_CUDA OFF)
if(NOT NESA_CUDA STREQUAL "OFF")
  include(CheckLanguage)
  if(NOT DEFINED CMAKE_CUDA_HOST_COMPILER)
    set(CMAKE_CUDA_HOST_COMPILER ${CMAKE_CXX_COMPILER})
  endif()
  check_language(CUDA)
  if(CMAKE_CUDA_COMPILER)
    if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
      set(CMAKE_CUDA_ARCHITECTURES 80 90)
    endif()
    enable_language(CUDA)
    find_package(CUDAToolkit QUIET)
    set(NESA_HAVE_CUDA ON)
  elseif(NESA_CUDA STREQUAL "ON")
    message(FATAL_ERROR "Nesa: NESA_CUDA=ON but no CUDA compiler (nvcc) was found. "
      "Install the CUDA toolkit, put nvcc on PATH, or configure with -DNESA_CUDA=AUTO.")
  endif()
endif()
message(STATUS "Nesa: CUDA backend ${NESA_HAVE_CUDA}")
