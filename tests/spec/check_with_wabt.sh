#!/usr/bin/env bash
# Cross-check pelato's own spec-style tests against wabt's reference
# interpreter. Every .wast file in this directory is converted with
# wast2json and run with spectest-interp; any failure fails the script.
#
# Usage: tests/spec/check_with_wabt.sh [FILE.wast ...]
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
for tool in wast2json spectest-interp; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: '$tool' not found (install Debian package 'wabt')" >&2
    exit 2
  fi
done

if [ "$#" -gt 0 ]; then
  files=("$@")
else
  files=("$here"/*.wast)
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

failed=0
total_pass=0
total_all=0
for wast in "${files[@]}"; do
  name="$(basename "$wast" .wast)"
  json="$out/$name/$name.json"
  mkdir -p "$out/$name"
  if ! wast2json --enable-all "$wast" -o "$json" >"$out/$name/wast2json.log" 2>&1; then
    echo "FAIL $name: wast2json rejected the script"
    sed 's/^/    /' "$out/$name/wast2json.log"
    failed=1
    continue
  fi
  log="$out/$name/interp.log"
  if ! spectest-interp --enable-all "$json" >"$log" 2>&1; then
    echo "FAIL $name: spectest-interp reported failures"
    grep -v '^called host ' "$log" | sed 's/^/    /'
    failed=1
    continue
  fi
  summary="$(tail -n 1 "$log")"
  if [[ "$summary" =~ ^([0-9]+)/([0-9]+)\ tests\ passed\.$ ]] &&
     [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]; then
    printf 'ok   %-22s %s\n' "$name" "$summary"
    total_pass=$((total_pass + BASH_REMATCH[1]))
    total_all=$((total_all + BASH_REMATCH[2]))
  else
    echo "FAIL $name: unexpected summary: $summary"
    grep -v '^called host ' "$log" | sed 's/^/    /'
    failed=1
  fi
done

echo "total: $total_pass/$total_all assertions passed"
exit "$failed"
