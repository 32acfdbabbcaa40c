#!/usr/bin/env bash
# Builds and runs the AOT instance benchmark: instantiate latency, idle memory per live instance,
# concurrent calls (bench/aot/main.cc).
#   bench/aot/run.sh BUILD_DIR [bench_aot options: --cycles N --live N --threads T --seconds S ...]
# e.g. bench/aot/run.sh build/release          (bench/engine/run.sh, so `make bench`, runs it too)
#      bench/aot/run.sh build/release --cycles 1000 --live 2000 --seconds 0.5   (a quick smoke run)
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

# bench_aot depends on its guest, so this (re)builds bench_aot_tiny.wasm too.
cmake --build "$build_dir" --target bench_aot -j "${JOBS:-2}" >&2
exec "$build_dir/bench/bench_aot" "$@"
