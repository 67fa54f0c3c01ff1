# cmake -DOBJDUMP=... -DWINDOWS_BUILD=<dir> -DFIXTURES=a;b;c -P check_pe_files.cmake
# Fails unless every fixture callout <dir>/fixtures/callouts/<name>.dll exports
# exactly DhcpServerCalloutEntry (noexport: exactly NotTheCalloutEntry) and
# has DWARF debug information for its source, and no .dll or .exe of the Windows build
# imports a MinGW runtime DLL (libgcc, libstdc++, libwinpthread).
set(failures "")

function(objdump_of file out_var)
  execute_process(COMMAND ${OBJDUMP} -p -h ${file} OUTPUT_VARIABLE text RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${OBJDUMP} -p ${file} failed")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

foreach(name IN LISTS FIXTURES)
  set(dll ${WINDOWS_BUILD}/fixtures/callouts/${name}.dll)
  if(NOT EXISTS ${dll})
    list(APPEND failures "${dll}: missing")
    continue()
  endif()
  objdump_of(${dll} text)
  # The export names: "[Ordinal/Name Pointer] Table", then one "\t[   0] Name" line each.
  string(REGEX MATCH "\\[Ordinal/Name Pointer\\] Table\n(\t\\[ *[0-9]+\\] [^\n]+\n)*" table
         "${text}")
  string(REGEX MATCHALL "\t\\[ *[0-9]+\\] [^\n]+" lines "${table}")
  set(exports "")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^\t\\[ *[0-9]+\\] " "" export "${line}")
    string(APPEND exports " ${export}")
  endforeach()
  string(STRIP "${exports}" exports)
  set(expected DhcpServerCalloutEntry)
  if(name STREQUAL "noexport")
    set(expected NotTheCalloutEntry)
  endif()
  if(NOT exports STREQUAL expected)
    list(APPEND failures "${name}.dll exports [${exports}], not [${expected}]")
  endif()
  # The C runtime's objects bring DWARF of their own: look for the fixture's source.
  execute_process(COMMAND ${OBJDUMP} --dwarf=info ${dll} OUTPUT_VARIABLE dwarf)
  if(NOT dwarf MATCHES "DW_AT_name[^\n]*${name}\\.c\n")
    list(APPEND failures "${name}.dll has no debug information for ${name}.c")
  endif()
endforeach()

# The project's own folders: a Wine prefix in the build tree is full of PE files.
set(pe_files "")
foreach(folder common loader fixtures tests)
  file(GLOB_RECURSE found ${WINDOWS_BUILD}/${folder}/*.dll ${WINDOWS_BUILD}/${folder}/*.exe)
  list(APPEND pe_files ${found})
endforeach()
list(FILTER pe_files EXCLUDE REGEX "/CMakeFiles/")
foreach(file IN LISTS pe_files)
  objdump_of(${file} text)
  string(REGEX MATCHALL "DLL Name: [^\n]+" imports "${text}")
  foreach(import IN LISTS imports)
    if(import MATCHES "lib(gcc|stdc\\+\\+|winpthread)")
      list(APPEND failures "${file} needs ${import}")
    endif()
  endforeach()
endforeach()

list(LENGTH pe_files checked)
if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "PE file checks failed:\n  ${text}")
endif()
message(STATUS "${checked} PE files checked")
