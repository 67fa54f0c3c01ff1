# libFuzzer targets (configure with -DCALLOUTEMU_FUZZ=ON and Clang).
#
# calloutemu_fuzzer(TARGET TEST_NAME): instruments TARGET with libFuzzer,
# ASan and UBSan, and, with the tests on, registers TEST_NAME, which runs the
# fuzzer once over each file of the corpus/ folder beside it (the files as
# arguments, so nothing is written back).
function(calloutemu_fuzzer target test_name)
  target_compile_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(${target} PRIVATE -fsanitize=fuzzer,address,undefined)
  calloutemu_warnings(${target})
  if(CALLOUTEMU_BUILD_TESTS)
    file(GLOB seeds ${CMAKE_CURRENT_SOURCE_DIR}/corpus/*)
    add_test(NAME ${test_name} COMMAND ${target} ${seeds})
  endif()
endfunction()
