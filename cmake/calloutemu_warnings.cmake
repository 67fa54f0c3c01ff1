# Warnings are errors in every target of ours; callout fixtures are C, the rest C++.
set(CALLOUTEMU_GCC_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wcast-align -Wformat=2
  -Werror)
set(CALLOUTEMU_GCC_CXX_WARNINGS -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)

function(calloutemu_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4 /WX)
  else()
    target_compile_options(${target} PRIVATE ${CALLOUTEMU_GCC_WARNINGS}
      $<$<COMPILE_LANGUAGE:CXX>:${CALLOUTEMU_GCC_CXX_WARNINGS}>)
  endif()
endfunction()
