#!/usr/bin/env bash
# CTest's short fuzzer run: FUZZER SEED_DIR REGRESSION_DIR. Replays every saved crash input, then
# mutates the seeds for a few thousand runs. Any sanitizer report or hang fails the test.
set -euo pipefail
fuzzer=$1 seeds=$2 regressions=$3
here=$(cd "$(dirname "$0")" && pwd)

shopt -s nullglob
inputs=("$regressions"/*)
if ((${#inputs[@]})); then
  "$fuzzer" -timeout=10 -rss_limit_mb=2048 "${inputs[@]}"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$fuzzer" -runs=3000 -seed=1 -timeout=10 -rss_limit_mb=2048 -max_len=4096 -dict="${PELATO_FUZZ_DICT:-$here/wasm.dict}" \
  -artifact_prefix="$work/" "$work" "$seeds"
