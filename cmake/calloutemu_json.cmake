# nlohmann_json for the tests. It is header-only, so a cross build without a
# Windows package of it uses the build machine's headers: through a directory
# that holds nothing but them, since adding the build machine's whole include
# directory (/usr/include) would put its C library headers before the target's.
find_package(nlohmann_json 3 QUIET)
if(nlohmann_json_FOUND OR NOT CMAKE_CROSSCOMPILING)
  find_package(nlohmann_json 3 REQUIRED)
  return()
endif()
find_path(CALLOUTEMU_BUILD_MACHINE_JSON_INCLUDE_DIR nlohmann/json.hpp NO_CMAKE_FIND_ROOT_PATH
          DOC "Include directory of the build machine's nlohmann_json (cross builds)")
if(NOT CALLOUTEMU_BUILD_MACHINE_JSON_INCLUDE_DIR)
  message(FATAL_ERROR "nlohmann_json not found (Debian: apt install nlohmann-json3-dev)")
endif()
set(json_headers ${CMAKE_BINARY_DIR}/build-machine-headers)
file(MAKE_DIRECTORY ${json_headers})
file(CREATE_LINK ${CALLOUTEMU_BUILD_MACHINE_JSON_INCLUDE_DIR}/nlohmann ${json_headers}/nlohmann
     SYMBOLIC)
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json SYSTEM INTERFACE ${json_headers})
