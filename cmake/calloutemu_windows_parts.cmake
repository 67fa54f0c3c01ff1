# The Windows parts of a native Linux build. With MinGW-w64's posix-thread
# compilers installed, the normal `cmake --build` also cross-builds this source
# tree for Windows (cmake/toolchains/mingw-w64-x86_64.cmake) into
# <build>/windows: the loader, callouthost.exe, the fixture callouts as
# <name>.dll and, with the tests on, the Windows unit tests, which the native
# ctest runs under Wine as tests named windows.*.
#
# For the rest of the build and its tests:
#   CALLOUTEMU_WINDOWS_BUILD_DIR  the Windows build tree, empty when there is
#                                 none: <dir>/fixtures/callouts/<name>.dll,
#                                 <dir>/loader/host/callouthost.exe
#   CALLOUTEMU_WINE               (cache) the Wine program; false without Wine
#   CALLOUTEMU_WINEPREFIX         (cache) the suite's Wine prefix, <build>/wine-prefix
#   target calloutemu_windows     the Windows build (for add_dependencies)
#   test fixture wine_prefix      with the tests on and Wine found (tests/windows):
#                                 creates the prefix once per ctest run and keeps
#                                 a wineserver running for it. Tests that run Wine:
#                                 FIXTURES_REQUIRED wine_prefix, with
#                                 WINEPREFIX=${CALLOUTEMU_WINEPREFIX} (and
#                                 WINEDEBUG=-all, WINEDLLOVERRIDES=mscoree,mshtml=)
#                                 in their ENVIRONMENT.
option(CALLOUTEMU_WINDOWS_PARTS
       "Linux builds: also cross-build the Windows parts with MinGW-w64 and test them under Wine" ON)

# Without the Windows parts all three are empty, whatever an earlier
# configure left in the cache.
set(CALLOUTEMU_WINDOWS_BUILD_DIR "")
set(CALLOUTEMU_WINE "")
set(CALLOUTEMU_WINEPREFIX "")
if(WIN32 OR NOT CALLOUTEMU_WINDOWS_PARTS)
  return()
endif()

find_program(CALLOUTEMU_MINGW_CC x86_64-w64-mingw32-gcc-posix)
find_program(CALLOUTEMU_MINGW_CXX x86_64-w64-mingw32-g++-posix)
if(NOT CALLOUTEMU_MINGW_CC OR NOT CALLOUTEMU_MINGW_CXX)
  message(STATUS "Windows parts: x86_64-w64-mingw32-gcc-posix/g++-posix not found (Debian: "
                 "apt install mingw-w64), so only the native parts are built")
  return()
endif()
unset(CALLOUTEMU_WINE)
unset(CALLOUTEMU_WINEPREFIX)

include(calloutemu_find_wine)
set(CALLOUTEMU_WINEPREFIX "${CMAKE_BINARY_DIR}/wine-prefix" CACHE PATH
    "Wine prefix of the test suite (the Windows build's tests use it too)")
set(CALLOUTEMU_WINDOWS_BUILD_DIR "${CMAKE_BINARY_DIR}/windows")

set(windows_args
  -DCMAKE_TOOLCHAIN_FILE=${PROJECT_SOURCE_DIR}/cmake/toolchains/mingw-w64-x86_64.cmake
  -DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}
  -DCMAKE_MAKE_PROGRAM=${CMAKE_MAKE_PROGRAM}
  -DCALLOUTEMU_BUILD_TESTS=${CALLOUTEMU_BUILD_TESTS}
  -DCALLOUTEMU_WINEPREFIX=${CALLOUTEMU_WINEPREFIX})
foreach(launcher CMAKE_C_COMPILER_LAUNCHER CMAKE_CXX_COMPILER_LAUNCHER)
  if(${launcher})
    list(APPEND windows_args -D${launcher}=${${launcher}})
  endif()
endforeach()
if(CALLOUTEMU_WINE)
  list(APPEND windows_args -DCALLOUTEMU_WINE=${CALLOUTEMU_WINE})
endif()

include(ExternalProject)
ExternalProject_Add(calloutemu_windows
  SOURCE_DIR ${PROJECT_SOURCE_DIR}
  BINARY_DIR ${CALLOUTEMU_WINDOWS_BUILD_DIR}
  PREFIX ${CMAKE_BINARY_DIR}/windows-external
  CMAKE_ARGS ${windows_args}
  BUILD_ALWAYS ON
  INSTALL_COMMAND ""
  USES_TERMINAL_CONFIGURE ON
  USES_TERMINAL_BUILD ON)
message(STATUS "Windows parts: cross-built with MinGW-w64 into ${CALLOUTEMU_WINDOWS_BUILD_DIR}")
