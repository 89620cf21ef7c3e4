# Fails when a file under CORE_DIR includes a Qt header or mentions a Qt
# package/target in its build, or when LINK_LIBS ("|"-separated) names a Qt
# library. Run with: cmake -DCORE_DIR=... -DLINK_LIBS=... -P no_qt_in_core.cmake
if(NOT CORE_DIR OR NOT IS_DIRECTORY "${CORE_DIR}")
  message(FATAL_ERROR "no_qt_in_core: CORE_DIR is not a directory: '${CORE_DIR}'")
endif()

file(GLOB_RECURSE files LIST_DIRECTORIES false "${CORE_DIR}/*")
list(LENGTH files count)
if(count EQUAL 0)
  message(FATAL_ERROR "no_qt_in_core: no files under ${CORE_DIR}")
endif()

set(offenders "")
foreach(f IN LISTS files)
  file(STRINGS "${f}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"](Q[A-Za-z0-9_]*|Qt[A-Za-z0-9_]*/[^>\"]*)[>\"]")
  file(STRINGS "${f}" cmake_hits REGEX "(find_package|target_link_libraries)[ \t]*\\(.*Qt[56]?")
  file(STRINGS "${f}" target_hits REGEX "Qt[56]::")
  foreach(h IN LISTS hits cmake_hits target_hits)
    string(STRIP "${h}" h)
    list(APPEND offenders "${f}: ${h}")
  endforeach()
endforeach()

string(REPLACE "|" ";" libs "${LINK_LIBS}")
foreach(lib IN LISTS libs)
  if(lib MATCHES "(^|[^A-Za-z])Qt[56]?(::|Core|Gui|Widgets|Network|Test)" OR lib MATCHES "libQt")
    list(APPEND offenders "filetracker_core links ${lib}")
  endif()
endforeach()

if(offenders)
  list(JOIN offenders "\n  " text)
  message(FATAL_ERROR "Qt found in core (core/ must stay Qt-free):\n  ${text}")
endif()
message(STATUS "no_qt_in_core: ${count} files under ${CORE_DIR}, no Qt include or link")
