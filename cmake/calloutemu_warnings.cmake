# Warnings are errors in every target of ours; callout fixtures are C, the rest C++.
set(CALLOUTEMU_GCC_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wcast-align -Wformat=2
  -Werror)
set(CALLOUTEMU_GCC_CXX_WARNINGS -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
# GCC 12 at -O3 warns -Wrestrict inside libstdc++ for `"text" + std::string(...)`
# (GCC bug 105329, a false positive); Release builds would fail on it.
set(CALLOUTEMU_GCC12_CXX_WORKAROUNDS
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>)

function(calloutemu_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX)
  else()
    target_compile_options(${target} PRIVATE ${CALLOUTEMU_GCC_WARNINGS}
      $<$<COMPILE_LANGUAGE:CXX>:${CALLOUTEMU_GCC_CXX_WARNINGS}>
      $<$<COMPILE_LANGUAGE:CXX>:${CALLOUTEMU_GCC12_CXX_WORKAROUNDS}>)
  endif()
endfunction()
