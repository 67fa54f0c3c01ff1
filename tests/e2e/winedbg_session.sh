#!/bin/sh
# The README's winedbg recipe, run as written: calloutemu starts a Wine host
# that waits for a debugger, `winedbg --gdb --no-start ID` attaches to it and
# prints the port, gdb connects, continues to the break point, shows the
# stack, copies the callout's record as it is at the break, and detaches.
#   winedbg_session.sh CALLOUTEMU DLL CAPTURE RECORD WORKDIR
# Prints gdb's output, then "calloutemu exit N". Every wait is bounded.
set -u
emu=$1 dll=$2 capture=$3 record=$4 work=$5

"$emu" --host wine --wait-for-debugger --break-before NewPkt@3 --dlls "$dll" \
  --pcap "$capture" >"$work/run.out" 2>"$work/run.err" &
emu_pid=$!
winedbg_pid=""
cleanup() {
  [ -n "$winedbg_pid" ] && kill "$winedbg_pid" 2>/dev/null
  kill "$emu_pid" 2>/dev/null
}
trap cleanup EXIT

# Polls FILE for the first match of the sed expression, for up to 120 s.
wait_for() {
  i=0
  while [ $i -lt 1200 ]; do
    found=$(sed -n "$2" "$1" 2>/dev/null | head -n 1)
    if [ -n "$found" ]; then
      echo "$found"
      return 0
    fi
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

id=$(wait_for "$work/run.err" 's/.*callouthost: process \([0-9][0-9]*\) waits.*/\1/p') || {
  echo "the Wine host never said it waits:"; cat "$work/run.err"; exit 1; }
# winedbg's own choice of port is printed only when it exits (its output to
# a file is buffered), so the recipe names one: here one nothing listens on.
listening() {
  awk -v port="$(printf ':%04X' "$1")" \
    '$4 == "0A" && substr($2, length($2) - 4) == port { found = 1 } END { exit !found }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
port=$((20000 + $$ % 20000))
while listening "$port"; do
  port=$((port + 1))
done
winedbg --gdb --no-start --port "$port" "$id" >"$work/winedbg.out" 2>&1 &
winedbg_pid=$!
i=0
until listening "$port"; do
  i=$((i + 1))
  if [ $i -gt 1200 ]; then
    echo "winedbg does not listen on port $port:"; cat "$work/winedbg.out"; exit 1
  fi
  sleep 0.1
done

timeout 120 gdb -nx --batch -ex "target remote localhost:$port" -ex continue -ex bt \
  -ex "shell cp '$record' '$record.at-break'" 2>&1

wait "$emu_pid"
status=$?
trap - EXIT
[ -n "$winedbg_pid" ] && kill "$winedbg_pid" 2>/dev/null
echo "calloutemu exit $status"
cat "$work/run.err"
