#!/usr/bin/env bash
# Builds and runs the engine benchmark: interpreter tier vs native on the same C kernels.
#   bench/engine/run.sh BUILD_DIR [bench_engine options: --reps N --scale F --only KERNEL ...]
# e.g. bench/engine/run.sh build/release          (what `make bench` runs)
#      bench/engine/run.sh build/release --scale 0.1 --reps 1   (a quick smoke run)
# BUILD_DIR must be a configured CMake build tree (cmake --preset release makes build/release).
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,6s/^# \{0,1\}//p' "$0"
  exit $(( $# < 1 ? 2 : 0 ))
fi
build_dir=$1
shift
if [[ ! -f $build_dir/CMakeCache.txt ]]; then
  echo "run.sh: $build_dir is not a configured build tree; run: cmake --preset release" >&2
  exit 2
fi

# bench_engine depends on its guests, so this (re)builds the wasm kernels too.
cmake --build "$build_dir" --target bench_engine -j "${JOBS:-2}" >&2
exec "$build_dir/bench/bench_engine" "$@"
