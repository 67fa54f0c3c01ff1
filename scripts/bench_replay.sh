#!/usr/bin/env bash
# Replay speed and memory: calloutemu replays a generated capture of DHCP
# requests through the noop callout, against tcpdump reading the same file.
#
#   scripts/bench_replay.sh [--requests N] [--clients M] [--build DIR] [--runs K] [--strict]
#
# Builds a Release tree (default build-release in the project root), writes the
# capture and its scope config into DIR/bench/ (kept for the next run), then
# times each program, best of 3 (--runs K), by wall time; the least CPU time
# (user + system) of the runs is shown beside it. Targets, for the plain
# calloutemu run, by wall time: at most 4 times tcpdump's time, at least
# 1,000,000 requests/s, and peak memory that
# does not grow with capture length beyond the lease table, at most 256 bytes
# a client. Memory is checked with two more captures at the same request rate:
# half the requests from the same clients (peak RSS must not grow by more than
# 1 MiB from it to the full capture), and a tenth of the requests from a tenth
# of the clients (the growth from it, per added client, is the lease table's
# cost). The same capture with --workers 2 (a receive thread and two workers
# handing each request over) must take at most 3 times the one-worker run.
# It exits 0 whatever the targets say, unless --strict is given: then a
# target missed or not measured exits 1.
set -euo pipefail

bench_name=bench_replay
requests=1000000
clients=100000
usage_line=5
source "$(dirname "${BASH_SOURCE[0]}")/bench_setup.sh"

echo "building calloutemu (Release) in $build"
configure_release
quietly cmake --build "$build" --target calloutemu callout_fixtures generate_bench_capture

emu=$build/emulator/calloutemu
noop=$build/fixtures/callouts/noop.so
generate=$build/emulator/bench/generate_bench_capture
bench=$build/bench
mkdir -p "$bench"
# generated REQUESTS CLIENTS: the capture's path, written unless already there.
# Every capture gets the same config (one scope big enough for all clients).
generated() {
  local path=$bench/requests-$1-clients-$2.pcap
  # A capture older than the generator may differ from what it writes now.
  if [ ! -s "$path" ] || [ ! -s "$bench/bench-$2.conf" ] || [ "$generate" -nt "$path" ]; then
    echo "generating $path" >&2
    quietly "$generate" --requests "$1" --clients "$2" --out "$work/capture.pcap" \
      --config-out "$work/bench.conf"
    mv "$work/capture.pcap" "$path"
    mv "$work/bench.conf" "$bench/bench-$2.conf"
  fi
  echo "$path"
}
capture=$(generated "$requests" "$clients")
config=$bench/bench-$clients.conf
half_requests=$((requests / 2))
tenth_requests=$((requests / 10))
tenth_clients=$((clients / 10))
memory_check=0
if [ "$half_requests" -ge "$clients" ] && [ "$tenth_clients" -ge 1 ] &&
  [ "$tenth_requests" -ge "$tenth_clients" ]; then
  memory_check=1
  half_capture=$(generated "$half_requests" "$clients")
  tenth_capture=$(generated "$tenth_requests" "$tenth_clients")
fi

# measure NAME COMMAND...: best of $runs by wall time; sets seconds_NAME,
# rss_kib_NAME (of the fastest run; n/a without GNU time) and cpu_NAME (the
# least user + system CPU time of the runs: on a shared machine it moves less
# than the wall time). A failing run stops the script.
measure() {
  local name=$1
  shift
  local best='' best_rss=n/a best_cpu='' seconds cpu rss run
  for ((run = 1; run <= runs; run++)); do
    local wrapped=("$@")
    if [ -x /usr/bin/time ]; then
      wrapped=(/usr/bin/time -f '%M' -o "$work/rss" "$@")
    fi
    local TIMEFORMAT='%3R %3U %3S'
    if ! { time "${wrapped[@]}" >/dev/null 2>"$work/stderr"; } 2>"$work/time"; then
      echo "bench_replay: $name failed: $*" >&2
      grep -v '^Command exited with non-zero status' "$work/stderr" | tail -n 40 >&2 || true
      exit 1
    fi
    read -r seconds cpu <<<"$(tail -n 1 "$work/time" | awk '{ printf "%s %.3f", $1, $2 + $3 }')"
    rss=n/a
    if [ -x /usr/bin/time ]; then
      rss=$(tail -n 1 "$work/rss")
    fi
    if [ -z "$best" ] || awk -v a="$seconds" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$seconds
      best_rss=$rss
    fi
    if [ -z "$best_cpu" ] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_cpu=$cpu
    fi
  done
  printf -v "seconds_$name" '%s' "$best"
  printf -v "rss_kib_$name" '%s' "$best_rss"
  printf -v "cpu_$name" '%s' "$best_cpu"
}

capture_mib=$(awk -v b="$(stat -c %s "$capture")" 'BEGIN { printf "%.1f", b / 1048576 }')
seconds_tcpdump=n/a rss_kib_tcpdump=n/a cpu_tcpdump=n/a
if command -v tcpdump >/dev/null; then
  echo "timing tcpdump (best of $runs)"
  measure tcpdump tcpdump -r "$capture" -w /dev/null 'udp port 67'
else
  echo "tcpdump: not installed, no yardstick"
fi

help=$("$emu" --help 2>&1 || true)
replay=0 trace=0 workers=0
seconds_replay=n/a rss_kib_replay=n/a seconds_trace=n/a rss_kib_trace=n/a seconds_workers=n/a
cpu_replay=n/a cpu_trace=n/a cpu_workers=n/a
rss_kib_half=n/a rss_kib_tenth=n/a seconds_half=n/a seconds_tenth=n/a
if grep -q -- '--pcap' <<<"$help"; then
  replay=1
  run=("$emu" --dlls "$noop" --pcap "$capture" --config "$config" -q)
  echo "timing calloutemu (best of $runs)"
  measure replay "${run[@]}"
  if [ $memory_check = 1 ]; then
    echo "timing calloutemu on $half_requests requests from $clients clients (best of $runs)"
    measure half "$emu" --dlls "$noop" --pcap "$half_capture" --config "$config" -q
    echo "timing calloutemu on $tenth_requests requests from $tenth_clients clients (best of $runs)"
    measure tenth "$emu" --dlls "$noop" --pcap "$tenth_capture" \
      --config "$bench/bench-$tenth_clients.conf" -q
  fi
  if grep -q -- '--trace' <<<"$help"; then
    trace=1
    echo "timing calloutemu --trace /dev/null (best of $runs)"
    measure trace "${run[@]}" --trace /dev/null
  else
    echo "trace: not available in this build"
  fi
  if grep -q -- '--workers' <<<"$help"; then
    workers=1
    echo "timing calloutemu --workers 2 (best of $runs)"
    measure workers "${run[@]}" --workers 2
  else
    echo "workers: not available in this build"
  fi
else
  echo "calloutemu: replay not available in this build"
fi

# row LABEL SECONDS CPU_SECONDS RSS_KIB CHECK: one line of the table; with
# CHECK=1 also the speed verdicts (by wall time), and a non-zero status when
# one is missed or not measured.
row() {
  awk -v label="$1" -v s="$2" -v cpu="$3" -v kib="$4" -v base="$seconds_tcpdump" -v n="$requests" \
    -v clients="$clients" -v check="$5" '
    function verdict(ok) { return ok ? "PASS" : "FAIL" }
    BEGIN {
      measured = s != "n/a"; has_base = base != "n/a" && base > 0; has_rss = kib != "n/a"
      rate = measured && s > 0 ? sprintf("%.0f", n / s) : "n/a"
      ratio = measured && has_base ? sprintf("%.2f", s / base) : "n/a"
      mib = has_rss ? sprintf("%.1f", kib / 1024) : "n/a"
      targets = ""
      if (check) {
        v1 = ratio == "n/a" ? "n/a" : verdict(ratio + 0 <= 4)
        v2 = rate == "n/a" ? "n/a" : verdict(rate + 0 >= 1000000)
        targets = sprintf("ratio<=4 %s, >=1M req/s %s", v1, v2)
      }
      cpu_rate = cpu != "n/a" && cpu > 0 ? sprintf("%.0f", n / cpu) : "n/a"
      printf "%-22s %9s %12s %8s %9s %14s %9s  %s\n", label, s, rate, ratio, cpu, cpu_rate, mib, targets
      exit check && (v1 != "PASS" || v2 != "PASS")
    }'
}

# memory: peak RSS growth from the half-length capture (same clients) and per
# client added from the tenth capture; a non-zero status when a target is
# missed or not measured.
memory() {
  awk -v full="$rss_kib_replay" -v half="$rss_kib_half" -v tenth="$rss_kib_tenth" \
    -v clients="$clients" -v tenth_clients="$tenth_clients" -v requests="$requests" \
    -v half_requests="$half_requests" -v tenth_requests="$tenth_requests" '
    function verdict(ok) { return ok ? "PASS" : "FAIL" }
    BEGIN {
      if (full == "n/a" || half == "n/a" || tenth == "n/a" || full == "" || half == "" ||
          tenth == "") {
        print "memory: not measured (needs GNU time and at least 10 clients)"
        exit 1
      }
      printf "peak RSS: %.1f MiB (%d requests, %d clients), %.1f MiB (%d requests, %d clients), %.1f MiB (%d requests, %d clients)\n",
        full / 1024, requests, clients, half / 1024, half_requests, clients,
        tenth / 1024, tenth_requests, tenth_clients
      growth = (full - half) / 1024
      per_client = (full - tenth) * 1024 / (clients - tenth_clients)
      ok_length = growth <= 1
      ok_client = per_client <= 256
      printf "growth with capture length (same clients, twice the requests): %+.1f MiB  <=1 MiB %s\n",
        growth, verdict(ok_length)
      printf "growth per client (lease table): %.0f bytes  <=256 B/client %s\n", per_client,
        verdict(ok_client)
      printf "whole peak RSS per client: %.0f bytes (program, libraries and buffers included)\n",
        full * 1024 / clients
      exit !(ok_length && ok_client)
    }'
}

echo
echo "capture: $capture ($capture_mib MiB, $requests requests, $clients clients)"
printf "%-22s %9s %12s %8s %9s %14s %9s  %s\n" program seconds requests/s x-tcpdump 'cpu s' 'req/cpu-second' \
  'RSS MiB' targets
row tcpdump "$seconds_tcpdump" "$cpu_tcpdump" "$rss_kib_tcpdump" 0
failed=0
if [ $replay = 1 ]; then
  row calloutemu "$seconds_replay" "$cpu_replay" "$rss_kib_replay" 1 || failed=1
  if [ $trace = 1 ]; then
    row 'calloutemu --trace' "$seconds_trace" "$cpu_trace" "$rss_kib_trace" 0
  fi
  if [ $workers = 1 ]; then
    row 'calloutemu --workers 2' "$seconds_workers" "$cpu_workers" n/a 0
    awk -v w="$seconds_workers" -v one="$seconds_replay" 'BEGIN {
      ok = one > 0 && w <= 3 * one
      ratio = one > 0 ? w / one : 0
      printf "--workers 2: %.2f times the one-worker run  <=3 %s\n", ratio, (ok ? "PASS" : "FAIL")
      exit !ok
    }' || failed=1
  fi
  echo
  if [ $memory_check = 1 ]; then
    memory || failed=1
  else
    echo "memory: not measured (needs at least 10 clients and 2 requests a client)"
    failed=1
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
