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

# -DCALLOUTEMU_SANITIZE_THREAD=ON builds everything with ThreadSanitizer, for
# --workers: the tsan.* tests (tests/tsan) exist only in such a build.
option(CALLOUTEMU_SANITIZE_THREAD "Build with ThreadSanitizer" OFF)
if(CALLOUTEMU_SANITIZE_THREAD)
  if(MSVC OR CALLOUTEMU_SANITIZE)
    message(FATAL_ERROR "CALLOUTEMU_SANITIZE_THREAD is for GCC and Clang, without CALLOUTEMU_SANITIZE")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC warns that TSan does not instrument atomic_thread_fence (used by no
    # code of ours).
    add_compile_options(-Wno-maybe-uninitialized $<$<COMPILE_LANGUAGE:CXX>:-Wno-tsan>)
  endif()
endif()
