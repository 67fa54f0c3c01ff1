#!/usr/bin/env bash
# Runs a Windows program under Wine: the CMAKE_CROSSCOMPILING_EMULATOR of the
# MinGW-w64 build (cmake/toolchains/mingw-w64-x86_64.cmake).
#   wine_run.sh [--prefix DIR] [--wine PROGRAM] PROGRAM.exe [ARGS...]
# The prefix is $CALLOUTEMU_WINEPREFIX, else DIR; it is created on first use
# (scripts/wine_prefix.sh). Wine is $CALLOUTEMU_WINE, else PROGRAM, else wine.
set -euo pipefail

prefix=""
wine=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=$2; shift 2 ;;
    --wine) wine=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--prefix DIR] [--wine PROGRAM] PROGRAM.exe [ARGS...]" >&2; exit 2; }
prefix=${CALLOUTEMU_WINEPREFIX:-$prefix}
if [ -z "$prefix" ]; then
  echo "$0: no Wine prefix: set CALLOUTEMU_WINEPREFIX or pass --prefix DIR" >&2
  exit 2
fi
case "$prefix" in
  /*) ;;
  *) prefix=$PWD/$prefix ;;
esac
export CALLOUTEMU_WINE=${CALLOUTEMU_WINE:-${wine:-$(command -v wine64 || command -v wine || echo wine)}}

[ -f "$prefix/.calloutemu-ready" ] || "$(dirname "$0")/wine_prefix.sh" create "$prefix"
export WINEPREFIX=$prefix
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="
exec "$CALLOUTEMU_WINE" "$@"
