#!/usr/bin/env bash
# Builds and runs the stateful migration benchmark (bench/migration/main.cc): downtime of a live
# migration between two real `pelato host` processes under an at-least-once stream, for 64 KiB,
# 1 MiB and 16 MiB of state, against SnapshotStore save + load of the same bytes.
#   bench/migration/run.sh BUILD_DIR [bench_migration options: --moves N --rate R --sizes B,B ...]
# e.g. bench/migration/run.sh build/release
#      bench/migration/run.sh build/release --moves 3 --sizes 65536   (a quick smoke run)
# The hosts' logs (stderr) go to $BENCH_LOG (default: a temporary file, named at the end).
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

# bench_migration depends on pelato and the guests, so this (re)builds them too.
cmake --build "$build_dir" --target bench_migration -j "${JOBS:-2}" >&2
log=${BENCH_LOG:-$(mktemp /tmp/bench-migration-XXXXXX.log)}
status=0
"$build_dir/bench/bench_migration" "$@" 2>"$log" || status=$?
echo "# host logs (snapshot took_ms, restores): $log"
exit "$status"
