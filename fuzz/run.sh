#!/usr/bin/env bash
# fuzz/run.sh [SECONDS]: builds the libFuzzer targets with clang-19 and ASan+UBSan in build/fuzz,
# seeds a corpus from fuzz/seeds/*.wat and the built guest modules, and fuzzes Module::load,
# instantiation and calls for SECONDS (default 60). Crashes land in build/fuzz/artifacts/:
# minimize one with `build/fuzz/fuzz/module_fuzzer -minimize_crash=1 -runs=10000 FILE` and add it
# to fuzz/regressions/, which CTest replays (module_fuzzer_smoke).
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/fuzz
cxx=${PELATO_FUZZ_CXX:-clang++-19}
cc=${PELATO_FUZZ_CC:-clang-19}
jobs=${JOBS:-2}

command -v "$cxx" >/dev/null || { echo "fuzz/run.sh: $cxx not found (apt-get install clang-19 libclang-rt-19-dev)" >&2; exit 1; }

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DPELATO_SANITIZE=address,undefined -DPELATO_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target module_fuzzer fuzz_seeds
# Real modules make the best seeds; a guest that does not build is only a missing seed.
cmake --build "$build" -j "$jobs" --target guests -- -k 0 >/dev/null 2>&1 || echo "fuzz/run.sh: some guests did not build; seeding without them" >&2

corpus=$build/corpus
artifacts=$build/artifacts
mkdir -p "$corpus" "$artifacts"
cp -n "$build"/fuzz/seeds/*.wasm "$corpus"/ 2>/dev/null || true
# Inputs up to 64 KiB: bigger ones make each run slow (and would be cut to -max_len anyway).
max_len=${PELATO_FUZZ_MAX_LEN:-65536}
for wasm in "$build"/guests/*.wasm; do
  [[ -e $wasm && $(stat -c %s "$wasm") -le $max_len ]] && cp -n "$wasm" "$corpus"/
done
echo "fuzz/run.sh: $(ls "$corpus" | wc -l) inputs in $corpus; fuzzing for ${seconds}s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for s in llvm-symbolizer-19 llvm-symbolizer; do
  if command -v $s >/dev/null; then export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v $s)}; break; fi
done
# The saved crash inputs first: each must run cleanly now.
"$build"/fuzz/module_fuzzer -timeout=10 -rss_limit_mb=2048 "$root"/fuzz/regressions/* >/dev/null 2>&1 ||
  { echo "fuzz/run.sh: a regression input in fuzz/regressions fails again" >&2; exit 1; }
"$build"/fuzz/module_fuzzer "$corpus" -max_total_time="$seconds" -max_len="$max_len" -timeout=10 \
  -rss_limit_mb=2048 -dict="$root/fuzz/wasm.dict" -artifact_prefix="$artifacts/" -print_final_stats=1
