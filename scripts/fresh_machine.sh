#!/usr/bin/env bash
# Sets up a fresh Debian machine for calloutemu, builds it, then either runs it
# on a bundled sample callout (demo) or runs the whole test suite (test), once
# in the normal build and once under AddressSanitizer and UBSan, then the
# --workers tests under ThreadSanitizer.
set -euo pipefail

mode=${1:-}
case "$mode" in
  demo | test) ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 1
    ;;
esac
cd "$(dirname "$0")/.."

packages=(cmake ninja-build g++ pkg-config libboost-program-options-dev libspdlog-dev
          libgtest-dev libgmock-dev nlohmann-json3-dev libpcap-dev libbenchmark-dev)
# The test suite also cross-builds the Windows parts with MinGW-w64 (GoogleTest
# from googletest's sources) and runs them under Wine (Debian 12: wine, wine64).
[ "$mode" = test ] && packages+=(mingw-w64 googletest wine wine64 tshark libxml2-utils gdb)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
build() {  # build DIR [cmake options...]
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

if [ "$mode" = demo ]; then
  build build -DCALLOUTEMU_BUILD_TESTS=OFF -DCALLOUTEMU_WINDOWS_PARTS=OFF
  record=build/demo-record.jsonl
  rm -f "$record"
  capture=fixtures/captures/real/dhclient_dnsmasq.pcap
  echo "== calloutemu --dlls build/fixtures/callouts/recorder.so --pcap $capture"
  CALLOUT_RECORD=$record build/emulator/calloutemu --dlls build/fixtures/callouts/recorder.so \
    --pcap "$capture"
  echo "== what the recorder callout saw ($record)"
  cat "$record"
  exit 0
fi

# Explicitly ON: a demo run before may have cached OFF in the same build tree.
# The normal build also cross-builds the Windows parts and runs their tests
# under Wine; the ASan build does not repeat that.
# Line tables only (-g1) in the suite's builds: backtraces and gdb still name
# functions and lines, and the compile is much shorter. The fixture callouts
# keep full debug information (their CMakeLists adds -g).
build build -DCALLOUTEMU_BUILD_TESTS=ON -DCALLOUTEMU_WINDOWS_PARTS=ON \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
ctest --test-dir build --output-on-failure --no-tests=error -j "$jobs"
# -O1, as AddressSanitizer's documentation suggests: this build is the suite's
# longest step, and -O1 compiles it in a quarter less time than -O2.
build build-asan -DCALLOUTEMU_BUILD_TESTS=ON -DCALLOUTEMU_SANITIZE=ON -DCALLOUTEMU_WINDOWS_PARTS=OFF \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure --no-tests=error -j "$jobs"
# ThreadSanitizer for --workers: only what the tsan. tests run is built
# (calloutemu, four fixture callouts, tsan_tests), with line tables only:
# about 150 s of CPU, some 75 s on two cores. (The linux-tsan preset also
# builds server_tests for the server.Workers. tests, another 55 s of CPU.)
cmake -S . -B build-tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCALLOUTEMU_BUILD_TESTS=ON \
  -DCALLOUTEMU_SANITIZE_THREAD=ON -DCALLOUTEMU_WINDOWS_PARTS=OFF \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  >/dev/null
cmake --build build-tsan -j "$jobs" --target tsan_tests
ctest --test-dir build-tsan --output-on-failure --no-tests=error -R '^tsan\.' -j "$jobs"
