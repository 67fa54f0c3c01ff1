#!/usr/bin/env bash
# Hook calls through the callout host: calloutemu replays a generated capture
# through the noop callout in-process (the reference), in the native callout
# host (--host process) and in callouthost.exe under Wine (--host wine, with
# noop.dll), and prints requests/s for each, whole runs timed (the host's
# start included).
#
#   scripts/bench_host.sh [--requests N] [--clients M] [--build DIR] [--runs K] [--strict]
#
# Targets: at least 100,000 requests/s through the native host and 20,000
# under Wine. It exits 0 whatever the targets say, unless --strict is given:
# then a target missed or not measured exits 1. The Wine run needs MinGW-w64
# and Wine (the build cross-compiles callouthost.exe and noop.dll when they
# are installed); it uses a prefix in DIR/bench/wineprefix.
set -euo pipefail

bench_name=bench_host
requests=200000
clients=20000
usage_line=8
source "$(dirname "${BASH_SOURCE[0]}")/bench_setup.sh"

echo "building calloutemu and the callout hosts (Release) in $build"
configure_release
quietly cmake --build "$build"

emu=$build/emulator/calloutemu
generate=$build/emulator/bench/generate_bench_capture
bench=$build/bench
mkdir -p "$bench"
capture=$bench/requests-$requests-clients-$clients.pcap
config=$bench/bench-$clients.conf
if [ ! -s "$capture" ] || [ ! -s "$config" ] || [ "$generate" -nt "$capture" ]; then
  echo "generating $capture"
  quietly "$generate" --requests "$requests" --clients "$clients" --out "$work/capture.pcap" \
    --config-out "$work/bench.conf"
  mv "$work/capture.pcap" "$capture"
  mv "$work/bench.conf" "$config"
fi

# measure NAME COMMAND...: best of $runs by wall time, in seconds_NAME.
measure() {
  local name=$1
  shift
  local best='' seconds run
  for ((run = 1; run <= runs; run++)); do
    local TIMEFORMAT=%3R
    if ! { time "$@" >/dev/null 2>"$work/stderr"; } 2>"$work/time"; then
      echo "bench_host: $name failed: $*" >&2
      tail -n 40 "$work/stderr" >&2
      exit 1
    fi
    seconds=$(tail -n 1 "$work/time")
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$seconds
    fi
  done
  printf -v "seconds_$name" '%s' "$best"
}

replay=("$emu" --pcap "$capture" --config "$config" -q --no-progress)
echo "timing in-process (best of $runs)"
measure inproc "${replay[@]}" --dlls "$build/fixtures/callouts/noop.so" --host inproc
echo "timing the native callout host (best of $runs)"
measure process "${replay[@]}" --dlls "$build/fixtures/callouts/noop.so" --host process

seconds_wine=n/a
wine_note=""
noop_dll=$build/windows/fixtures/callouts/noop.dll
wine=$(command -v wine64 || command -v wine || true)
if [ -f "$noop_dll" ] && [ -n "$wine" ]; then
  export WINEPREFIX=$bench/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
  if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "creating the Wine prefix $WINEPREFIX"
    quietly "$wine" wineboot -i
  fi
  # A running wineserver keeps each host's start short, as in the test suite.
  wineserver -p 2>/dev/null || true
  echo "timing callouthost.exe under Wine (best of $runs)"
  measure wine "${replay[@]}" --dlls "$noop_dll" --host wine
  wineserver -k 2>/dev/null || true
else
  wine_note="(needs MinGW-w64 and Wine: $noop_dll or wine missing)"
fi

echo
echo "capture: $capture ($requests requests, $clients clients), noop callout"
printf "%-28s %9s %12s  %s\n" host seconds requests/s target
failed=0
row() {  # LABEL SECONDS TARGET (0: none)
  awk -v label="$1" -v s="$2" -v n="$requests" -v target="$3" '
    BEGIN {
      rate = s != "n/a" && s > 0 ? n / s : -1
      shown = rate < 0 ? "n/a" : sprintf("%.0f", rate)
      verdict = ""
      if (target > 0) {
        verdict = sprintf(">=%d req/s %s", target, rate < 0 ? "n/a" : rate >= target ? "PASS" : "FAIL")
      }
      printf "%-28s %9s %12s  %s\n", label, s, shown, verdict
      exit target > 0 && rate < target
    }'
}
row "in-process" "$seconds_inproc" 0
row "native host (--host process)" "$seconds_process" 100000 || failed=1
row "Wine host (--host wine)" "$seconds_wine" 20000 || failed=1
[ -z "$wine_note" ] || echo "Wine: not measured $wine_note"

if [ $strict = 1 ] && [ $failed = 1 ]; then
  echo "bench_host: a target was missed or not measured (--strict)" >&2
  exit 1
fi
exit 0
