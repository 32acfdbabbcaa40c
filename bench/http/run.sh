#!/usr/bin/env bash
# Builds and runs the HTTP provider benchmark: pelato (sync and async routes running a real
# exec_task) against a bare Boost.Beast server, driven by wrk (bench/http/main.cc).
#   bench/http/run.sh BUILD_DIR [bench_http options: --seconds S --connections C --rounds R ...]
# e.g. bench/http/run.sh build/release
#      bench/http/run.sh build/release --seconds 1 --rounds 1     (a quick smoke run, ~5 s)
# AOT artifacts go to $PELATO_CACHE_DIR if set, else to a temporary directory removed at exit.
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,7s/^# \{0,1\}//p' "$0"
  exit $(( $# < 1 ? 2 : 0 ))
fi
build_dir=$1
shift
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  echo "run.sh: $build_dir is not a configured build tree; run: cmake --preset release" >&2
  exit 2
fi
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed; run scripts/setup" >&2; exit 2; }

# bench_http depends on its guest, so this (re)builds upper_task.wasm too.
cmake --build "$build_dir" --target bench_http -j "${JOBS:-2}" >&2
exec "$build_dir/bench/bench_http" "$@"
