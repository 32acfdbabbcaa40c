#!/usr/bin/env bash
# Runs the official WebAssembly/wasi-testsuite (https://github.com/WebAssembly/wasi-testsuite)
# against `pelato run`. Not part of CTest: the suite is not in this repository.
#
# usage: wasi_testsuite.sh PELATO_BIN TESTSUITE_DIR [NAME_REGEX]
#
# TESTSUITE_DIR is a checkout of the suite (or any directory below it): every directory
# holding *.wasm files is a test suite, named by its manifest.json when it has one. Suites
# for WASI preview 2/3 (a path containing wasm32-wasip2 or wasm32-wasip3) are skipped:
# pelato runs preview 1 commands. Each suite is copied to a temporary directory first, so
# the checkout is never modified.
#
# Each TEST.wasm may have a TEST.json, in either format the official runner reads:
#   legacy: {"args": [...], "env": {"K": "V"}, "dirs": ["fs-tests.dir"], "root": "DIR",
#            "exit_code": N, "stdout": "...", "stderr": "..."}
#   operations: {"operations": [{"type": "run", "args", "env", "dirs"},
#                {"type": "write", "id": "stdin", "payload"}, {"type": "read", "id":
#                "stdout"|"stderr", "payload"}, {"type": "wait", "exit_code"}]}
# "dirs" are preopened under their own (relative) name, "root" as "/". Like the official
# runner, a read checks that the stream starts with the payload, and files named *.cleanup
# are deleted before and after every test. Tests needing sockets or proposals are skipped.
#
# Prints PASS/FAIL/SKIP per test and finally "N passed, M failed (P% passed)"; exits 1 when
# any test failed.
set -u
export LC_ALL=C

if [[ $# -lt 2 ]]; then
  echo "usage: $0 PELATO_BIN TESTSUITE_DIR [NAME_REGEX]" >&2
  exit 2
fi
PELATO=$(realpath "$1")
SUITE_ROOT=$(realpath "$2")
FILTER=${3:-}
TIMEOUT=${WASI_TESTSUITE_TIMEOUT:-60}
command -v python3 >/dev/null || { echo "python3 is needed to read the test configurations" >&2; exit 2; }
[[ -x $PELATO ]] || { echo "not executable: $PELATO" >&2; exit 2; }
[[ -d $SUITE_ROOT ]] || { echo "not a directory: $SUITE_ROOT" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pelato-wasi-testsuite.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# Turns TEST.json (or nothing) into files under $1: args, env, dirs (HOST_REL::GUEST lines,
# NUL-separated like args and env), stdin, stdout, stderr (expected prefixes, only when
# given), exit_code, skip (a reason).
parse_config() {
  python3 - "$1" "$2" <<'EOF'
import json, os, sys
out, cfg_path = sys.argv[1], sys.argv[2]
cfg = {}
if os.path.exists(cfg_path):
    with open(cfg_path, encoding="utf-8") as f:
        cfg = json.load(f)

def write(name, data):
    with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
        f.write(data)

args, env, dirs, root = [], {}, [], None
stdin, reads, exit_code, skip = "", {}, 0, ""
if "operations" in cfg or "proposals" in cfg:
    if cfg.get("proposals"):
        skip = "needs proposals " + ",".join(cfg["proposals"])
    runs = 0
    for op in cfg.get("operations", []):
        t = op.get("type")
        if t == "run":
            runs += 1
            args, env, dirs, root = op.get("args", []), op.get("env", {}), op.get("dirs", []), op.get("root")
        elif t == "write" and op.get("id", "write") == "stdin":
            stdin += op.get("payload", "")
        elif t == "read" and op.get("id", "stdout") in ("stdout", "stderr"):
            reads[op.get("id", "stdout")] = reads.get(op.get("id", "stdout"), "") + op.get("payload", "")
        elif t == "wait":
            exit_code = op.get("exit_code", 0)
        else:
            skip = skip or "unsupported operation %s" % json.dumps(op)
    if runs > 1:
        skip = skip or "more than one run"
else:
    args, env, dirs, root = cfg.get("args", []), cfg.get("env", {}), cfg.get("dirs", []), cfg.get("root")
    exit_code = cfg.get("exit_code", 0)
    for stream in ("stdout", "stderr"):
        if cfg.get(stream) is not None:
            reads[stream] = cfg[stream]

write("args", "".join(a + "\0" for a in args))
write("env", "".join("%s=%s\0" % kv for kv in env.items()))
spec = ["%s::%s" % (d, d) for d in dirs]
if root:
    spec.append("%s::/" % root)
write("dirs", "".join(s + "\0" for s in spec))
write("stdin", stdin)
for stream, payload in reads.items():
    write(stream, payload)
write("exit_code", str(exit_code))
write("skip", skip)
EOF
}

cleanup_outputs() { find "$1" -name '*.cleanup' -exec rm -rf {} + 2>/dev/null; }

passed=0
failed=0
skipped=0
failures=()

run_test() {
  local suite_dir=$1 suite_name=$2 wasm=$3
  local name
  name=$(basename "$wasm" .wasm)
  local id="$suite_name/$name"
  [[ -n $FILTER && ! $id =~ $FILTER ]] && return
  local t=$WORK/case
  rm -rf "$t" && mkdir -p "$t"
  if ! parse_config "$t" "${wasm%.wasm}.json" 2>"$t/parse_err"; then
    echo "FAIL $id: unreadable ${name}.json: $(tail -1 "$t/parse_err")"
    failed=$((failed + 1)); failures+=("$id")
    return
  fi
  if [[ -s $t/skip ]]; then
    echo "SKIP $id: $(cat "$t/skip")"
    skipped=$((skipped + 1))
    return
  fi
  local args=() env=() dirs=() x
  while IFS= read -r -d '' x; do args+=("$x"); done <"$t/args"
  while IFS= read -r -d '' x; do env+=(--env "$x"); done <"$t/env"
  while IFS= read -r -d '' x; do dirs+=(--dir "$suite_dir/${x%%::*}::${x#*::}"); done <"$t/dirs"

  cleanup_outputs "$suite_dir"
  local code
  (cd "$suite_dir" && timeout "$TIMEOUT" "$PELATO" run "${dirs[@]}" "${env[@]}" "$wasm" "${args[@]}") \
    <"$t/stdin" >"$t/out" 2>"$t/err"
  code=$?
  cleanup_outputs "$suite_dir"

  local problems=() want
  want=$(cat "$t/exit_code")
  if [[ $code == 124 ]]; then
    problems+=("timed out after ${TIMEOUT}s")
  elif [[ $code != "$want" ]]; then
    problems+=("exit code $code, expected $want")
  fi
  local stream
  for stream in stdout stderr; do
    [[ -f $t/$stream ]] || continue
    local file=$t/out
    [[ $stream == stderr ]] && file=$t/err
    local n
    n=$(stat -c %s "$t/$stream")
    if ! cmp -s -n "$n" "$t/$stream" "$file" || [[ $(stat -c %s "$file") -lt $n ]]; then
      problems+=("$stream does not start with the expected $n bytes")
    fi
  done

  if [[ ${#problems[@]} -eq 0 ]]; then
    echo "PASS $id"
    passed=$((passed + 1))
  else
    echo "FAIL $id: ${problems[*]}"
    [[ -s $t/out ]] && tail -5 "$t/out" | sed 's/^/    stdout: /'
    [[ -s $t/err ]] && tail -8 "$t/err" | sed 's/^/    stderr: /'
    failed=$((failed + 1)); failures+=("$id")
  fi
}

suites=()
while IFS= read -r -d '' d; do
  suites+=("$d")
done < <(find "$SUITE_ROOT" -name '*.wasm' -type f -not -path '*.dir/*' -printf '%h\0' | sort -zu)
if [[ ${#suites[@]} -eq 0 ]]; then
  echo "no *.wasm tests found below $SUITE_ROOT" >&2
  exit 2
fi

n=0
for src in "${suites[@]}"; do
  rel=${src#"$SUITE_ROOT"}
  rel=${rel#/}
  [[ -z $rel ]] && rel=$(basename "$src")
  if [[ $src == *wasm32-wasip2* || $src == *wasm32-wasip3* ]]; then
    echo "SKIP suite $rel: not WASI preview 1"
    continue
  fi
  suite_name=$rel
  if [[ -f $src/manifest.json ]]; then
    suite_name=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$src/manifest.json" 2>/dev/null || echo "$rel")
  fi
  n=$((n + 1))
  dst=$WORK/suite$n
  cp -a "$src" "$dst"
  for wasm in "$dst"/*.wasm; do
    run_test "$dst" "$suite_name" "$wasm"
  done
  rm -rf "$dst"
done

total=$((passed + failed))
pct=0
[[ $total -gt 0 ]] && pct=$(awk -v p="$passed" -v t="$total" 'BEGIN { printf "%.1f", 100 * p / t }')
echo
[[ $failed -gt 0 ]] && echo "failed: ${failures[*]}"
extra=
[[ $skipped -gt 0 ]] && extra=", $skipped skipped"
echo "$passed passed, $failed failed ($pct% passed)$extra"
[[ $failed -eq 0 ]]
