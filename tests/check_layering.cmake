# The dependency direction of docs/architecture.md, checked on every #include of the sources:
#   cmake -DROOT=<source folder> -P check_layering.cmake
# Fails, naming each file and line, when
#   - core/ includes wallet/, ui/ or app/ headers (the core sits below them);
#   - core/util includes another library (it is the bottom of the graph);
#   - a library that links no libtorch (core/net, core/chain, core/storage, core/audit,
#     core/registry, core/pacs, core/ingest, core/gpu, wallet/) includes model/, privacy/, llm/ or miner/ headers;
#   - ui/ includes a library's internal/ header, or libtorch, Boost or SQLCipher;
#   - a public header (not under internal/) of core/, wallet/ or ui/ includes libtorch, Boost.Beast
#     or SQLCipher (they stay in .cpp files and internal/ headers);
#   - app/ or ui/ uses a regular expression (programs talk JSON to each other: nothing there reads
#     another program's text), except the two files that check what the user types.
cmake_minimum_required(VERSION 3.25)
if(NOT ROOT)
  message(FATAL_ERROR "usage: cmake -DROOT=<source folder> -P check_layering.cmake")
endif()
get_filename_component(ROOT "${ROOT}" ABSOLUTE)

set(heavy "<(torch|ATen|c10)/|<boost/beast|<sqlcipher|sqlcipher/")
set(torchFree core/net core/chain core/storage core/audit core/policy core/identity core/registry core/ingest core/pacs core/gpu
    wallet)
set(problems "")

file(GLOB_RECURSE sources RELATIVE "${ROOT}" "${ROOT}/core/*.h" "${ROOT}/core/*.cpp"
     "${ROOT}/core/*.cu" "${ROOT}/wallet/*.h" "${ROOT}/wallet/*.cpp" "${ROOT}/ui/*.h"
     "${ROOT}/ui/*.cpp")
foreach(source IN LISTS sources)
  file(STRINGS "${ROOT}/${source}" includes REGEX "^[ \t]*#[ \t]*include")
  string(REGEX MATCH "^[a-z]+(/[a-z_]+)?" area "${source}")
  if(source MATCHES "^(ui|wallet)/")
    string(REGEX MATCH "^[a-z]+" area "${source}")
  endif()
  set(publicHeader FALSE)
  if(source MATCHES "\\.h$" AND NOT source MATCHES "/internal/")
    set(publicHeader TRUE)
  endif()
  foreach(line IN LISTS includes)
    set(why "")
    if(area MATCHES "^core/" AND line MATCHES "\"(wallet|ui|app|cli)/")
      set(why "the core includes a layer above it")
    elseif(area STREQUAL "core/util" AND line MATCHES "\"[a-z_]+/" AND NOT line MATCHES "\"util/")
      set(why "core/util includes another library")
    elseif(area IN_LIST torchFree AND line MATCHES "\"(model|privacy|llm|miner|analysis|api)/")
      set(why "a library without libtorch includes one that has it")
    elseif(area STREQUAL "ui" AND line MATCHES "/internal/|${heavy}|<boost/")
      set(why "the UI includes an internal or heavy header")
    elseif(publicHeader AND line MATCHES "${heavy}")
      set(why "a public header includes libtorch, Beast or SQLCipher")
    endif()
    if(why)
      string(STRIP "${line}" line)
      list(APPEND problems "${source}: ${line} (${why})")
    endif()
  endforeach()
endforeach()

# No scraping of our own programs' output in the front ends.
set(userInputCheckers ui/send_dialog.cpp ui/nes_amount.cpp)
file(GLOB_RECURSE frontEnds RELATIVE "${ROOT}" "${ROOT}/app/*.h" "${ROOT}/app/*.cpp"
     "${ROOT}/ui/*.h" "${ROOT}/ui/*.cpp")
foreach(source IN LISTS frontEnds)
  if(source IN_LIST userInputCheckers)
    continue()
  endif()
  file(STRINGS "${ROOT}/${source}" matches REGEX "QRegularExpression|std::regex|<regex>|QRegExp")
  foreach(line IN LISTS matches)
    string(STRIP "${line}" line)
    string(REPLACE ";" "" line "${line}") # a list separator in CMake
    list(APPEND problems "${source}: ${line} (a front end reads text with a regular expression)")
  endforeach()
endforeach()
list(APPEND sources ${frontEnds})
list(REMOVE_DUPLICATES sources)

list(LENGTH sources count)
if(problems)
  list(JOIN problems "\n  " text)
  message(FATAL_ERROR "the layering of docs/architecture.md is broken:\n  ${text}")
endif()
message(STATUS "layering: ${count} files keep the dependency direction")
