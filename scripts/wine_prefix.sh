#!/usr/bin/env bash
# The Wine prefix the test suite runs Windows programs in.
#   wine_prefix.sh create DIR  creates the prefix unless it is there; parallel
#                              callers wait on a lock, so it is created once
#   wine_prefix.sh up DIR      create, then start a persistent wineserver, so
#                              that the suite's many short Wine runs start fast
#   wine_prefix.sh down DIR    stop that wineserver and any Wine process left
# The programs: $CALLOUTEMU_WINE (default: wine in PATH) and the wineserver
# beside it or in PATH.
set -euo pipefail

usage() {
  echo "usage: $0 create|up|down DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
action=$1
prefix=$2
case "$prefix" in
  /*) ;;
  *) prefix=$PWD/$prefix ;;
esac

wine=${CALLOUTEMU_WINE:-$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)}
wineserver=$(dirname "$(readlink -f "$wine")")/wineserver
[ -x "$wineserver" ] || wineserver=$(command -v wineserver || echo wineserver)

export WINEPREFIX=$prefix
export WINEDEBUG=-all
# No prompts to install Mono or Gecko: nothing here needs .NET or a browser.
export WINEDLLOVERRIDES="mscoree,mshtml="
ready=$prefix/.calloutemu-ready

create() {
  [ -f "$ready" ] && return 0
  mkdir -p "$(dirname "$prefix")"
  exec 9>"$prefix.lock"
  flock 9
  if [ ! -f "$ready" ]; then
    local log
    log=$(mktemp)
    # 9>&-: the wineserver this starts must not hold the lock after we go.
    if ! "$wine" wineboot --init >"$log" 2>&1 9>&-; then
      echo "$0: wineboot --init failed for $prefix:" >&2
      cat "$log" >&2
      rm -f "$log"
      exit 1
    fi
    rm -f "$log"
    touch "$ready"
  fi
  exec 9>&-
}

case "$action" in
  create) create ;;
  up)
    create
    # Only one wineserver may run per prefix: the one of an earlier Wine run
    # (listing the Windows tests when ctest starts, or a run that ended before
    # its "down") goes first, then one that stays is started.
    started=false
    for attempt in 1 2 3 4 5; do
      "$wineserver" --kill </dev/null >/dev/null 2>&1 || true
      "$wineserver" --wait </dev/null >/dev/null 2>&1 || true
      if "$wineserver" --persistent </dev/null >/dev/null 2>&1; then
        started=true
        break
      fi
    done
    if ! $started; then
      echo "$0: cannot start a persistent wineserver for $prefix" >&2
      exit 1
    fi
    # The first Wine program starts Wine's services (services.exe, rpcss.exe,
    # ...), which then live as long as the server and keep that program's
    # stderr open: start them here, away from any test's output pipes (a test
    # would otherwise wait for them to close it).
    "$wine" cmd.exe /c exit </dev/null >/dev/null 2>&1
    ;;
  down)
    "$wineserver" --kill </dev/null >/dev/null 2>&1 || true
    "$wineserver" --wait </dev/null >/dev/null 2>&1 || true
    ;;
  *) usage ;;
esac
