# Cross-compiles for 64-bit Windows with Debian's MinGW-w64 (the posix-thread
# compilers, which have std::thread), and runs what it builds under Wine:
#   cmake -S . -B build-windows -G Ninja \
#     --toolchain cmake/toolchains/mingw-w64-x86_64.cmake
# A native Linux configure does this by itself into <build>/windows (see
# cmake/calloutemu_windows_parts.cmake).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(CALLOUTEMU_MINGW_TRIPLET x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${CALLOUTEMU_MINGW_TRIPLET}-gcc-posix)
set(CMAKE_CXX_COMPILER ${CALLOUTEMU_MINGW_TRIPLET}-g++-posix)
set(CMAKE_RC_COMPILER ${CALLOUTEMU_MINGW_TRIPLET}-windres)

# Libraries and packages for Windows only; programs (pkg-config, ...) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${CALLOUTEMU_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# No libgcc/libstdc++/winpthread DLLs beside the programs: they run under Wine
# (and on Windows) as they are.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static")

# Tests (and gtest discovery) run the programs under Wine, in a private prefix:
# CALLOUTEMU_WINEPREFIX, by default <build>/wine-prefix. The native build that
# drives this one passes its own suite's prefix and Wine.
set(CALLOUTEMU_WINEPREFIX "${CMAKE_BINARY_DIR}/wine-prefix" CACHE PATH
    "Wine prefix the tests of this Windows build run in")
include(${CMAKE_CURRENT_LIST_DIR}/../calloutemu_find_wine.cmake)
if(CALLOUTEMU_WINE)
  get_filename_component(calloutemu_wine_run ${CMAKE_CURRENT_LIST_DIR}/../../scripts/wine_run.sh
                         ABSOLUTE)
  set(CMAKE_CROSSCOMPILING_EMULATOR
      ${calloutemu_wine_run} --prefix ${CALLOUTEMU_WINEPREFIX} --wine ${CALLOUTEMU_WINE})
endif()
