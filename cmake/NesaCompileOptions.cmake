# Warnings and sanitizers shared by every target of the project (C++ only; nvcc gets neither).

add_library(nesa_compile_options INTERFACE)
add_library(Nesa::CompileOptions ALIAS nesa_compile_options)

set(_nesa_cxx_flags -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
if(NESA_SANITIZE)
  message(STATUS "Nesa: building with AddressSanitizer + UndefinedBehaviorSanitizer")
  # -fno-sanitize=vptr: UBSan's dynamic-type check needs the typeinfo of every polymorphic class
  # it sees, and Debian's libtorch does not export it for its own (c10::DynamicType, ...).
  list(APPEND _nesa_cxx_flags
    -fsanitize=address$<COMMA>undefined -fno-sanitize=vptr -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(nesa_compile_options INTERFACE "$<HOST_LINK:-fsanitize=address$<COMMA>undefined>")
endif()
if(NESA_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "Nesa: NESA_FUZZ needs clang (libFuzzer); use the `fuzz` preset")
  endif()
  list(APPEND _nesa_cxx_flags -fsanitize=fuzzer-no-link$<COMMA>address$<COMMA>undefined
    -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(nesa_compile_options INTERFACE "-fsanitize=address$<COMMA>undefined")
endif()
foreach(_flag IN LISTS _nesa_cxx_flags)
  target_compile_options(nesa_compile_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:${_flag}>)
endforeach()

# LLVM's lld links our programs about four times faster than GNU ld (tst_engine: 0.7 s against
# 3.2 s), and the build links some seventy programs with debug info twice in scripts/test.sh.
# nvcc does its own linking, so only links driven by the C++ compiler get it.
include(CheckLinkerFlag)
check_linker_flag(CXX "-fuse-ld=lld" NESA_HAVE_LLD)
if(NESA_HAVE_LLD)
  add_link_options("$<$<LINK_LANGUAGE:CXX>:-fuse-ld=lld>")
else()
  message(STATUS "Nesa: lld not found, linking with the default linker (apt-get install lld)")
endif()

# Qt's `slots`/`signals` macros break libtorch headers; the project spells Q_SLOTS/Q_SIGNALS.
target_compile_definitions(nesa_compile_options INTERFACE QT_NO_KEYWORDS)
