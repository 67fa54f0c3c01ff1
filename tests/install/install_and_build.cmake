# Script mode: install the project into WORK/prefix, build the vendor callout
# against it, and load that callout in calloutemu.
file(REMOVE_RECURSE ${WORK})
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

run(${CMAKE_COMMAND} --install ${PROJECT_BINARY} --prefix ${WORK}/prefix)
if(NOT EXISTS ${WORK}/prefix/include/calloutemu/dhcpssdk.h)
  message(FATAL_ERROR "the SDK header was not installed")
endif()
run(${CMAKE_COMMAND} -S ${VENDOR_SOURCE} -B ${WORK}/vendor -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${WORK}/prefix)
run(${CMAKE_COMMAND} --build ${WORK}/vendor)
run(${CALLOUTEMU} -q --dlls ${WORK}/vendor/vendor_callout.so)
foreach(expected "loaded: ${WORK}/vendor/vendor_callout.so" "Control(START): returned 0"
                 "Control(STOP): returned 0" "DhcpNewPktHook         NULL")
  string(FIND "${last_output}" "${expected}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "calloutemu output lacks '${expected}':\n${last_output}")
  endif()
endforeach()
