#!/usr/bin/env bash
# Replay speed and memory: calloutemu replays a generated capture of DHCP
# requests through the noop callout, against tcpdump reading the same file.
#
#   scripts/bench_replay.sh [--requests N] [--clients M] [--build DIR] [--strict]
#
# Builds a Release tree (default build-release in the project root), writes the
# capture and its scope config into DIR/bench/ (kept for the next run), then
# times each program, best of 3. Targets, for the plain calloutemu run: at most
# 4 times tcpdump's time, at least 1,000,000 requests/s, at most 256 bytes of
# peak RSS per client. It exits 0 whatever the targets say, unless --strict is
# given: then a target missed or not measured exits 1.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
requests=1000000
clients=100000
build=$root/build-release
strict=0
runs=3

usage() {
  sed -n '5p' "${BASH_SOURCE[0]}" | sed 's/^#   /usage: /'
}

while [ $# -gt 0 ]; do
  case $1 in
    --requests) requests=${2:?--requests needs a value}; shift 2 ;;
    --clients) clients=${2:?--clients needs a value}; shift 2 ;;
    --build) build=${2:?--build needs a value}; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench_replay: unknown argument: $1" >&2; usage >&2; exit 1 ;;
  esac
done
for n in "$requests" "$clients"; do
  if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
    echo "bench_replay: not a positive number: $n" >&2
    exit 1
  fi
done
mkdir -p "$build"
build=$(cd "$build" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a command with its output in a log, which is shown only if it fails.
quietly() {
  if ! "$@" >"$work/log" 2>&1; then
    tail -n 40 "$work/log" >&2
    echo "bench_replay: failed: $*" >&2
    exit 1
  fi
}

echo "building calloutemu (Release) in $build"
generator=()
if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null; then
  generator=(-G Ninja)
fi
quietly cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCALLOUTEMU_BUILD_TESTS=OFF
quietly cmake --build "$build" --target calloutemu callout_fixtures generate_bench_capture

emu=$build/emulator/calloutemu
noop=$build/fixtures/callouts/noop.so
generate=$build/emulator/bench/generate_bench_capture
bench=$build/bench
capture=$bench/requests-$requests-clients-$clients.pcap
config=$bench/bench.conf
mkdir -p "$bench"
# A capture older than the generator may differ from what it writes now.
if [ ! -s "$capture" ] || [ ! -s "$config" ] || [ "$generate" -nt "$capture" ]; then
  echo "generating $capture"
  quietly "$generate" --requests "$requests" --clients "$clients" --out "$work/capture.pcap" \
    --config-out "$work/bench.conf"
  mv "$work/capture.pcap" "$capture"
  mv "$work/bench.conf" "$config"
fi

# measure NAME COMMAND...: best of $runs by wall time; sets seconds_NAME and
# rss_kib_NAME (n/a without GNU time). A failing run stops the script.
measure() {
  local name=$1
  shift
  local best='' best_rss=n/a seconds rss run
  for ((run = 1; run <= runs; run++)); do
    local wrapped=("$@")
    if [ -x /usr/bin/time ]; then
      wrapped=(/usr/bin/time -f '%M' -o "$work/rss" "$@")
    fi
    local TIMEFORMAT=%3R
    if ! { time "${wrapped[@]}" >/dev/null 2>"$work/stderr"; } 2>"$work/time"; then
      echo "bench_replay: $name failed: $*" >&2
      grep -v '^Command exited with non-zero status' "$work/stderr" | tail -n 40 >&2 || true
      exit 1
    fi
    seconds=$(tail -n 1 "$work/time")
    rss=n/a
    if [ -x /usr/bin/time ]; then
      rss=$(tail -n 1 "$work/rss")
    fi
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$seconds
      best_rss=$rss
    fi
  done
  printf -v "seconds_$name" '%s' "$best"
  printf -v "rss_kib_$name" '%s' "$best_rss"
}

capture_mib=$(awk -v b="$(stat -c %s "$capture")" 'BEGIN { printf "%.1f", b / 1048576 }')
seconds_tcpdump=n/a rss_kib_tcpdump=n/a
if command -v tcpdump >/dev/null; then
  echo "timing tcpdump (best of $runs)"
  measure tcpdump tcpdump -r "$capture" -w /dev/null 'udp port 67'
else
  echo "tcpdump: not installed, no yardstick"
fi

help=$("$emu" --help 2>&1 || true)
replay=0 trace=0
seconds_replay=n/a rss_kib_replay=n/a seconds_trace=n/a rss_kib_trace=n/a
if grep -q -- '--pcap' <<<"$help"; then
  replay=1
  run=("$emu" --dlls "$noop" --pcap "$capture" --config "$config" -q)
  echo "timing calloutemu (best of $runs)"
  measure replay "${run[@]}"
  if grep -q -- '--trace' <<<"$help"; then
    trace=1
    echo "timing calloutemu --trace /dev/null (best of $runs)"
    measure trace "${run[@]}" --trace /dev/null
  else
    echo "trace: not available in this build"
  fi
else
  echo "calloutemu: replay not available in this build"
fi

# row LABEL SECONDS RSS_KIB CHECK: one line of the table; with CHECK=1 also the
# verdicts, and a non-zero status when a target is missed or not measured.
row() {
  awk -v label="$1" -v s="$2" -v kib="$3" -v base="$seconds_tcpdump" -v n="$requests" \
    -v clients="$clients" -v check="$4" '
    function verdict(ok) { return ok ? "PASS" : "FAIL" }
    BEGIN {
      measured = s != "n/a"; has_base = base != "n/a" && base > 0; has_rss = kib != "n/a"
      rate = measured && s > 0 ? sprintf("%.0f", n / s) : "n/a"
      ratio = measured && has_base ? sprintf("%.2f", s / base) : "n/a"
      mib = has_rss ? sprintf("%.1f", kib / 1024) : "n/a"
      per_client = has_rss ? sprintf("%.0f", kib * 1024 / clients) : "n/a"
      targets = ""
      if (check) {
        v1 = ratio == "n/a" ? "n/a" : verdict(ratio + 0 <= 4)
        v2 = rate == "n/a" ? "n/a" : verdict(rate + 0 >= 1000000)
        v3 = per_client == "n/a" ? "n/a" : verdict(per_client + 0 <= 256)
        targets = sprintf("ratio<=4 %s, >=1M req/s %s, <=256 B/client %s", v1, v2, v3)
      }
      printf "%-20s %9s %12s %8s %9s %9s  %s\n", label, s, rate, ratio, mib, per_client, targets
      exit check && (v1 != "PASS" || v2 != "PASS" || v3 != "PASS")
    }'
}

echo
echo "capture: $capture ($capture_mib MiB, $requests requests, $clients clients)"
printf "%-20s %9s %12s %8s %9s %9s  %s\n" program seconds requests/s x-tcpdump 'RSS MiB' \
  B/client targets
row tcpdump "$seconds_tcpdump" "$rss_kib_tcpdump" 0
failed=0
if [ $replay = 1 ]; then
  row calloutemu "$seconds_replay" "$rss_kib_replay" 1 || failed=1
  if [ $trace = 1 ]; then
    row 'calloutemu --trace' "$seconds_trace" "$rss_kib_trace" 0
  fi
else
  echo "calloutemu           (replay not available in this build: targets not measured)"
  failed=1
fi

if [ $strict = 1 ] && [ $failed = 1 ]; then
  echo "bench_replay: a target was missed or not measured (--strict)" >&2
  exit 1
fi
exit 0
