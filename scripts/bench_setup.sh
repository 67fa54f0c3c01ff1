# What the bench scripts share; sourced by bench_replay.sh and bench_host.sh
# with their arguments, after they set `bench_name` (their name, for messages),
# `requests` and `clients` (the defaults) and `usage_line` (the line of the
# calling script that shows its usage). Sets root, build, strict, runs (best
# of how many, --runs, default 3) and a work directory removed on exit, and
# defines quietly.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build-release
strict=0
runs=3

usage() {
  sed -n "${usage_line}p" "$0" | sed 's/^#   /usage: /'
}

while [ $# -gt 0 ]; do
  case $1 in
    --requests) requests=${2:?--requests needs a value}; shift 2 ;;
    --clients) clients=${2:?--clients needs a value}; shift 2 ;;
    --build) build=${2:?--build needs a value}; shift 2 ;;
    --runs) runs=${2:?--runs needs a value}; shift 2 ;;
    --strict) strict=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "$bench_name: unknown argument: $1" >&2; usage >&2; exit 1 ;;
  esac
done
for n in "$requests" "$clients" "$runs"; do
  if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
    echo "$bench_name: not a positive number: $n" >&2
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
    echo "$bench_name: failed: $*" >&2
    exit 1
  fi
}

# A Release tree; a new one uses Ninja when it is installed.
configure_release() {
  local generator=()
  if [ ! -f "$build/CMakeCache.txt" ] && command -v ninja >/dev/null; then
    generator=(-G Ninja)
  fi
  quietly cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DCALLOUTEMU_BUILD_TESTS=OFF
}
