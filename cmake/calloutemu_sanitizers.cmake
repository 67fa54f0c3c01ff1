# -DCALLOUTEMU_SANITIZE=ON builds everything with AddressSanitizer and UBSan.
option(CALLOUTEMU_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
if(CALLOUTEMU_SANITIZE)
  if(MSVC)
    message(FATAL_ERROR "CALLOUTEMU_SANITIZE is for GCC and Clang")
  endif()
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  # GCC's flow warnings see through the instrumentation and report false
  # positives (std::optional members "maybe uninitialized"); the normal build
  # keeps the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
endif()
