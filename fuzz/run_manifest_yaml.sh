#!/usr/bin/env bash
# fuzz/run_manifest_yaml.sh [SECONDS]: builds manifest_yaml_fuzzer (clang-19, ASan+UBSan, build/fuzz
# or $PELATO_FUZZ_BUILD, as run.sh does) and fuzzes the wadm manifest parser and spread placement
# (src/orchestrator) for SECONDS (default 60) from fuzz/manifest_yaml_seeds.
# Crashes land in build/fuzz/manifest_yaml_artifacts/: minimize one with
# `build/fuzz/fuzz/manifest_yaml_fuzzer -minimize_crash=1 -runs=10000 FILE` and add it to
# fuzz/manifest_yaml_regressions/, which CTest replays (manifest_yaml_fuzzer_smoke).
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PELATO_FUZZ_BUILD:-$root/build/fuzz}
cxx=${PELATO_FUZZ_CXX:-clang++-19}
cc=${PELATO_FUZZ_CC:-clang-19}
jobs=${JOBS:-2}

command -v "$cxx" >/dev/null || { echo "fuzz/run_manifest_yaml.sh: $cxx not found (apt-get install clang-19 libclang-rt-19-dev)" >&2; exit 1; }

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DPELATO_SANITIZE=address,undefined -DPELATO_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target manifest_yaml_fuzzer

corpus=$build/manifest_yaml_corpus
artifacts=$build/manifest_yaml_artifacts
mkdir -p "$corpus" "$artifacts"
cp -n "$root"/fuzz/manifest_yaml_seeds/* "$corpus"/ 2>/dev/null || true
echo "fuzz/run_manifest_yaml.sh: $(ls "$corpus" | wc -l) inputs in $corpus; fuzzing for ${seconds}s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for s in llvm-symbolizer-19 llvm-symbolizer; do
  if command -v $s >/dev/null; then export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v $s)}; break; fi
done
shopt -s nullglob
regressions=("$root"/fuzz/manifest_yaml_regressions/*)
if ((${#regressions[@]})); then
  "$build"/fuzz/manifest_yaml_fuzzer -timeout=10 -rss_limit_mb=2048 "${regressions[@]}" >/dev/null 2>&1 ||
    { echo "fuzz/run_manifest_yaml.sh: a regression input in fuzz/manifest_yaml_regressions fails again" >&2; exit 1; }
fi
"$build"/fuzz/manifest_yaml_fuzzer "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -dict="$root/fuzz/manifest_yaml.dict" -artifact_prefix="$artifacts/" -print_final_stats=1
