# FindPCAP: libpcap, or on Windows wpcap from the Npcap SDK.
#
#   PCAP::PCAP    the imported library
#   PCAP_FOUND
#
# Where to look: pkg-config's libpcap (not on Windows); PCAP_ROOT (CMake's
# <Package>_ROOT search prefix); NPCAP_SDK_DIR (cache, or the environment
# variable of that name), the unpacked Npcap SDK: Include/pcap.h and
# Lib/x64/wpcap.lib (Lib/ARM64, Lib for 32-bit x86).
set(NPCAP_SDK_DIR "$ENV{NPCAP_SDK_DIR}" CACHE PATH
    "Windows: the Npcap SDK folder (Include/pcap.h, Lib/x64/wpcap.lib)")

if(NOT WIN32)
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(PC_PCAP QUIET libpcap)
  endif()
endif()

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(ARM64|arm64|aarch64)$")
  set(npcap_arch ARM64)
elseif(CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(npcap_arch x64)
else()
  set(npcap_arch "")
endif()

find_path(PCAP_INCLUDE_DIR pcap.h
  HINTS ${PC_PCAP_INCLUDE_DIRS} ${NPCAP_SDK_DIR}/Include)
find_library(PCAP_LIBRARY NAMES pcap wpcap
  HINTS ${PC_PCAP_LIBRARY_DIRS} ${NPCAP_SDK_DIR}/Lib/${npcap_arch}
  PATH_SUFFIXES ${npcap_arch})

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(PCAP REQUIRED_VARS PCAP_LIBRARY PCAP_INCLUDE_DIR)
if(PCAP_FOUND AND NOT TARGET PCAP::PCAP)
  add_library(PCAP::PCAP UNKNOWN IMPORTED)
  set_target_properties(PCAP::PCAP PROPERTIES
    IMPORTED_LOCATION ${PCAP_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${PCAP_INCLUDE_DIR})
endif()
mark_as_advanced(PCAP_INCLUDE_DIR PCAP_LIBRARY)
