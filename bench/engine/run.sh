#!/usr/bin/env bash
# Builds and runs the engine benchmark (native vs AOT tier vs interpreter tier vs node on the same
# C kernels), then the AOT instance benchmark (bench/aot/run.sh).
#   bench/engine/run.sh BUILD_DIR [bench_engine options: --reps N --scale F --only KERNEL ...]
# e.g. bench/engine/run.sh build/release          (what `make bench` runs)
#      bench/engine/run.sh build/release --scale 0.1 --reps 1   (a quick smoke run)
# BUILD_DIR must be a configured CMake build tree (cmake --preset release makes build/release).
# Options for bench_aot go in $BENCH_AOT_ARGS; BENCH_AOT=0 skips it.
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,8s/^# \{0,1\}//p' "$0"
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
"$build_dir/bench/bench_engine" "$@"

if [[ ${BENCH_AOT:-1} != 0 ]]; then
  echo
  # shellcheck disable=SC2086 # word splitting of the options is intended
  exec "$(dirname "$0")/../aot/run.sh" "$build_dir" ${BENCH_AOT_ARGS:-}
fi
