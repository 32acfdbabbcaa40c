#!/usr/bin/env bash
# fuzz/run_parser.sh NAME [SECONDS]: builds NAME_fuzzer (clang-19, ASan+UBSan, in build/fuzz or
# $PELATO_FUZZ_BUILD, as run.sh does) and fuzzes it for SECONDS (default 60) from
# fuzz/NAME_seeds with fuzz/NAME.dict. NAME: claims (nkeys, JWT, claims), manifest (OCI),
# manifest_yaml (wadm manifests, spread placement), workflow_yaml (PELATO workflow.yaml, .env),
# snapshot (instance snapshots).
# Crashes land in <build>/NAME_artifacts/: minimize one with
# `<build>/fuzz/NAME_fuzzer -minimize_crash=1 -runs=10000 FILE` and add it to
# fuzz/NAME_regressions/, which CTest replays (NAME_fuzzer_smoke).
set -euo pipefail
name=${1:?usage: fuzz/run_parser.sh claims|manifest|manifest_yaml|workflow_yaml|snapshot [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${PELATO_FUZZ_BUILD:-$root/build/fuzz}
cxx=${PELATO_FUZZ_CXX:-clang++-19}
cc=${PELATO_FUZZ_CC:-clang-19}
jobs=${JOBS:-2}
fuzzer=${name}_fuzzer
[[ -d $root/fuzz/${name}_seeds ]] || { echo "fuzz/run_parser.sh: no fuzz/${name}_seeds: unknown target $name" >&2; exit 2; }
command -v "$cxx" >/dev/null || { echo "fuzz/run_parser.sh: $cxx not found (apt-get install clang-19 libclang-rt-19-dev)" >&2; exit 1; }

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DPELATO_SANITIZE=address,undefined -DPELATO_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "$fuzzer"

corpus=$build/${name}_corpus
artifacts=$build/${name}_artifacts
mkdir -p "$corpus" "$artifacts"
cp -n "$root"/fuzz/"${name}"_seeds/* "$corpus"/ 2>/dev/null || true
echo "fuzz/run_parser.sh: $(ls "$corpus" | wc -l) inputs in $corpus; fuzzing $fuzzer for ${seconds}s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for s in llvm-symbolizer-19 llvm-symbolizer; do
  if command -v $s >/dev/null; then export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$(command -v $s)}; break; fi
done
shopt -s nullglob
regressions=("$root"/fuzz/"${name}"_regressions/*)
if ((${#regressions[@]})); then
  "$build"/fuzz/"$fuzzer" -timeout=10 -rss_limit_mb=2048 "${regressions[@]}" >/dev/null 2>&1 ||
    { echo "fuzz/run_parser.sh: a regression input in fuzz/${name}_regressions fails again" >&2; exit 1; }
fi
"$build"/fuzz/"$fuzzer" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
  -rss_limit_mb=2048 -dict="$root/fuzz/$name.dict" -artifact_prefix="$artifacts/" -print_final_stats=1
