# Warnings and sanitizers shared by every target of the project.

add_library(nesa_compile_options INTERFACE)
add_library(Nesa::CompileOptions ALIAS nesa_compile_options)
target_compile_options(nesa_compile_options INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>)
# Qt's `slots`/`signals` macros break libtorch headers; the project spells Q_SLOTS/Q_SIGNALS.
target_compile_definitions(nesa_compile_options INTERFACE QT_NO_KEYWORDS)

if(NESA_SANITIZE)
  message(STATUS "Nesa: building with AddressSanitizer + UndefinedBehaviorSanitizer")
  set(_nesa_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_compile_options(nesa_compile_options INTERFACE $<$<COMPILE_LANGUAGE:CXX>:${_nesa_san}>)
  target_link_options(nesa_compile_options INTERFACE -fsanitize=address,undefined)
endif()
