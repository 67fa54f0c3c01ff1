# GoogleTest, and calloutemu_discover_tests() to register test programs.
#
# GoogleTest: the installed package, else built here from the sources of
# Debian's googletest package (CALLOUTEMU_GTEST_SOURCE_DIR). The MinGW-w64
# cross build takes the second way: there is no GoogleTest built for Windows.
find_package(GTest QUIET)
if(NOT GTest_FOUND)
  set(CALLOUTEMU_GTEST_SOURCE_DIR /usr/src/googletest CACHE PATH
      "GoogleTest sources, used when no installed GoogleTest is found")
  if(NOT EXISTS ${CALLOUTEMU_GTEST_SOURCE_DIR}/CMakeLists.txt)
    message(FATAL_ERROR "GoogleTest not found, and no sources in CALLOUTEMU_GTEST_SOURCE_DIR "
                        "(${CALLOUTEMU_GTEST_SOURCE_DIR}; Debian: apt install googletest)")
  endif()
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(${CALLOUTEMU_GTEST_SOURCE_DIR} ${CMAKE_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
  message(STATUS "GoogleTest: built from ${CALLOUTEMU_GTEST_SOURCE_DIR}")
endif()

include(GoogleTest)

# calloutemu_discover_tests(TARGET NAME [gtest_discover_tests options]): the
# tests of TARGET as NAME.<Suite>.<Test>. In the Windows cross build they are
# windows.NAME.<Suite>.<Test> (the native ctest run includes them beside the
# native tests of the same code), listed under Wine when ctest starts rather
# than at build time, and run in the suite's Wine prefix (fixture wine_prefix).
function(calloutemu_discover_tests target name)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "PROPERTIES")
  if(WIN32 AND CMAKE_CROSSCOMPILING)
    gtest_discover_tests(${target} TEST_PREFIX windows.${name}. ${arg_UNPARSED_ARGUMENTS}
      DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 120
      PROPERTIES FIXTURES_REQUIRED wine_prefix TIMEOUT 60 ${arg_PROPERTIES})
  else()
    gtest_discover_tests(${target} TEST_PREFIX ${name}. ${arg_UNPARSED_ARGUMENTS}
      DISCOVERY_TIMEOUT 30 PROPERTIES ${arg_PROPERTIES})
  endif()
endfunction()
