#!/usr/bin/env bash
# Cross-check pelato's own spec-style tests against wabt's reference
# interpreter.
#
# Every .wast file in this directory is converted with
#   wast2json --enable-all
# and run with
#   spectest-interp --enable-all
# The script fails if any file does not convert, if spectest-interp reports
# a failed assertion, or if an assert_trap / assert_exhaustion uses a text
# that is not one of the standard spec trap messages (or disagrees with the
# trap wabt actually raised; spectest-interp itself does not compare them).
#
# Usage: tests/spec/check_with_wabt.sh [FILE.wast ...]
# Requires: wabt (Debian package 'wabt'), python3 for the trap-text check.
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

# Checks the expected trap texts in a wast2json JSON file against the
# standard spec messages and against wabt's log. Prints problems; exits 1
# if there are any.
check_trap_texts() {
  python3 - "$1" "$2" <<'PY'
import json, re, sys
json_path, log_path = sys.argv[1], sys.argv[2]
# standard spec text -> prefix of the corresponding wabt 1.0.32 message
wabt_text = {
    "unreachable": "unreachable executed",
    "integer divide by zero": "integer divide by zero",
    "integer overflow": "integer overflow",
    "invalid conversion to integer": "invalid conversion to integer",
    "out of bounds memory access": "out of bounds memory access",
    "out of bounds table access": "out of bounds table access",
    "undefined element": "undefined table index",
    "uninitialized element": "uninitialized table element",
    "indirect call type mismatch": "indirect call signature mismatch",
}
actual = {}
with open(log_path, errors="replace") as f:
    for line in f:
        m = re.match(r".*\.wast:(\d+): assert_trap passed: (.*)$", line.rstrip("\n"))
        if m:
            actual[int(m.group(1))] = m.group(2)
bad = 0
for cmd in json.load(open(json_path))["commands"]:
    t, line, text = cmd["type"], cmd["line"], cmd.get("text")
    if t == "assert_exhaustion":
        if text != "call stack exhausted":
            print(f"    line {line}: assert_exhaustion text {text!r} is not 'call stack exhausted'")
            bad = 1
    elif t in ("assert_trap", "assert_uninstantiable"):
        if text not in wabt_text:
            print(f"    line {line}: {text!r} is not a standard spec trap message")
            bad = 1
        elif line in actual and not actual[line].startswith(wabt_text[text]):
            print(f"    line {line}: expected {text!r} but wabt trapped with {actual[line]!r}")
            bad = 1
sys.exit(bad)
PY
}

failed=0
total_pass=0
total_all=0
for wast in "${files[@]}"; do
  name="$(basename "$wast" .wast)"
  dir="$out/$name"
  json="$dir/$name.json"
  mkdir -p "$dir"
  if ! wast2json --enable-all "$wast" -o "$json" >"$dir/wast2json.log" 2>&1; then
    echo "FAIL $name: wast2json rejected the script"
    sed 's/^/    /' "$dir/wast2json.log"
    failed=1
    continue
  fi
  log="$dir/interp.log"
  # Run from the JSON's directory so module file names resolve.
  (cd "$dir" && spectest-interp --enable-all "$name.json") >"$log" 2>&1
  rc=$?
  summary="$(tail -n 1 "$log")"
  if [ "$rc" -ne 0 ] ||
     ! [[ "$summary" =~ ^([0-9]+)/([0-9]+)\ tests\ passed\.$ ]] ||
     [ "${BASH_REMATCH[1]}" != "${BASH_REMATCH[2]}" ]; then
    echo "FAIL $name: spectest-interp reported failures (exit $rc): $summary"
    grep -v '^called host ' "$log" | grep -v ' passed' | grep -v '^  ' | sed 's/^/    /'
    failed=1
    continue
  fi
  passed="${BASH_REMATCH[1]}"
  all="${BASH_REMATCH[2]}"
  if command -v python3 >/dev/null 2>&1; then
    if ! problems="$(check_trap_texts "$json" "$log")"; then
      echo "FAIL $name: bad trap texts"
      echo "$problems"
      failed=1
      continue
    fi
  fi
  printf 'ok   %-20s %s\n' "$name" "$summary"
  total_pass=$((total_pass + passed))
  total_all=$((total_all + all))
done

echo "total: $total_pass/$total_all passed (spectest-interp counts)"
if [ "$failed" -ne 0 ]; then
  echo "SOME FILES FAILED"
fi
exit "$failed"
