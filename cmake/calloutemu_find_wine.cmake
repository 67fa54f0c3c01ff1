# CALLOUTEMU_WINE: the Wine program that runs Windows programs here. wine64 or
# wine in PATH (Debian 12: /usr/bin/wine, which runs /usr/lib/wine/wine64),
# else Debian's 64-bit loader itself. Empty (NOTFOUND) without Wine.
find_program(CALLOUTEMU_WINE NAMES wine64 wine
             DOC "Wine program that runs the Windows build's programs")
if(NOT CALLOUTEMU_WINE)
  find_program(CALLOUTEMU_WINE NAMES wine64 PATHS /usr/lib/wine NO_DEFAULT_PATH)
endif()
