#!/usr/bin/env bash
# Runs the WASI test programs through `pelato run` and compares what they do with
# tests/wasi/expected/:
#   NAME.stdout       stdout, exactly (required unless the case sets STDOUT=skip)
#   NAME.code         exit code (required)
#   NAME.stderr       stderr, exactly; when absent stderr must be empty...
#   NAME.stderr.grep  ...unless this exists: each of its lines must appear in stderr (fixed string)
#   NAME.host         output of the case's host_NAME check, run on the fixture afterwards
# Every case gets a fresh fixture directory (see make_fixture) and after every case the
# directory beside the sandbox (outside/) must be exactly as it was.
#
# usage: run_tests.sh PELATO_BIN GUEST_DIR [CASE...]
# With PELATO_WASI_KEEP=1 the fixture of a failing case is kept for inspection.
set -u
export LC_ALL=C

if [[ $# -lt 2 ]]; then
  echo "usage: $0 PELATO_BIN GUEST_DIR [CASE...]" >&2
  exit 2
fi
PELATO=$(realpath "$1")
GUESTS=$(realpath "$2")
shift 2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
EXPECTED=$HERE/expected
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pelato-wasi.XXXXXX")
trap '[[ ${PELATO_WASI_KEEP:-0} == 1 ]] || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# The fixture: T/sandbox is what the guest gets, T/outside must stay out of its reach.
make_fixture() {
  local t=$1
  mkdir -p "$t/sandbox/data/sub" "$t/sandbox/data/empty_dir" "$t/sandbox/many" "$t/outside"
  printf 'TOP SECRET\n' >"$t/outside/secret.txt"
  cd "$t/sandbox" || exit 2
  printf 'Hello, WASI!\n' >hello.txt
  : >empty.txt
  printf 'alpha\nbeta\ngamma\ndelta\n' >data/lines.txt
  printf 'deep\n' >data/sub/deep.txt
  printf "$(printf '\\%03o' $(seq 0 255))" >binary.bin
  seq 1 100000 >big.txt
  for i in $(seq -w 0 299); do
    : >"many/entry_${i}_with_a_rather_long_name_to_fill_dirents"
  done
  ln -s hello.txt link_in
  ln -s ../hello.txt data/link_up
  ln -s data link_dir
  ln -s does_not_exist dangling
  ln -s "$t/outside/secret.txt" escape_abs
  ln -s ../outside/secret.txt escape_rel
  ln -s ../../outside/secret.txt data/escape_rel2
  ln -s ../outside escape_dir
  ln -s / escape_root
  ln -s ../outside/created.txt escape_new
  cd - >/dev/null || exit 2
  # Make sure the escape targets really exist, so that a refusal is not a missing file.
  [[ -f "$t/sandbox/escape_abs" && -f "$t/sandbox/escape_rel" && -f "$t/sandbox/data/escape_rel2" &&
     -d "$t/sandbox/escape_dir" && -f "$t/sandbox/escape_root/etc/passwd" ]] || {
    echo "fixture: escape targets missing" >&2
    exit 2
  }
}

# A listing of outside/ with sizes, link targets and contents, to detect any change.
outside_state() {
  (cd "$1/outside" && find . -printf '%p %y %s %l\n' | sort && find . -type f -exec md5sum {} + | sort)
}

# --- cases -------------------------------------------------------------------------
# Each case_NAME sets PROG (guest name without wasi_ and .wasm), and optionally ARGS, ENVS,
# DIRS (HOST_REL_TO_FIXTURE::GUEST), STDIN (a file; default /dev/null), STDIN_PIPE=1 (feed
# it through a pipe), STDOUT=skip. $T is the fixture directory.
SANDBOX=("sandbox::/sandbox")

case_fs_read() { PROG=fs_read; DIRS=("${SANDBOX[@]}"); }
case_fs_write() { PROG=fs_write; DIRS=("${SANDBOX[@]}"); }
host_fs_write() {
  cd "$T/sandbox" || return
  for f in created.txt hello.txt data/lines.txt data/sub/deep.txt trunc.bin modes.txt; do
    printf '%s: ' "$f"
    od -An -c "$f" | tr -s ' ' | tr -d '\n'
    echo
  done
  stat -c '%n %s' vec.txt alloc.bin
  [[ -e newdir ]] && echo "newdir exists" || echo "no newdir"
}
case_fs_seek() {
  PROG=fs_seek; DIRS=("${SANDBOX[@]}")
  printf 'piped\n' >"$T/stdin"; STDIN=$T/stdin; STDIN_PIPE=1
}
host_fs_seek() { od -An -c "$T/sandbox/seek.txt" | tr -s ' '; }
case_fs_dir() { PROG=fs_dir; DIRS=("${SANDBOX[@]}"); }
host_fs_dir() {
  cd "$T/sandbox" || return
  find d1 d3 | sort
  [[ -e gen ]] && echo "gen still exists"
  ls many | wc -l
}
case_fs_link() { PROG=fs_link; DIRS=("${SANDBOX[@]}"); }
host_fs_link() {
  cd "$T/sandbox" || return
  for l in data/sub/up loop1 loop2 to_create; do printf '%s -> %s\n' "$l" "$(readlink "$l")"; done
  cat made_by_link.txt
  [[ -e s1 || -e s2 || -e hard ]] && echo "links left behind"
  stat -c '%n %h' hello.txt
}
case_fs_stat() {
  PROG=fs_stat; DIRS=("${SANDBOX[@]}")
  printf 'stdin\n' >"$T/stdin"; STDIN=$T/stdin
}
host_fs_stat() {
  cd "$T/sandbox" || return
  stat -c '%n %X %Y' empty.txt hello.txt
  stat -c '%n %Y' grow.txt | awk '{ print $1, ($2 > 1577836800 ? "recent" : "old") }'
  stat -c '%n %s' grow.txt
}
case_sandbox() { PROG=sandbox; DIRS=("${SANDBOX[@]}"); ARGS=("$T/outside/secret.txt"); }
host_sandbox() {
  cd "$T/sandbox" || return
  ls -A | sort | tr '\n' ' '
  echo
  for l in new_rel new_abs new_up; do [[ -L $l ]] && echo "$l is a link (harmless)"; done
  [[ -f /tmp/pelato_abs_created.txt ]] && echo "created /tmp/pelato_abs_created.txt"
  cat hello.txt empty.txt
}
case_wasi_fd() { PROG=wasi_fd; DIRS=("${SANDBOX[@]}" "sandbox/data::/data"); }
host_wasi_fd() {
  cd "$T/sandbox" || return
  od -An -c raw.bin | tr -s ' '
  cat hello.txt
}
case_env_args() {
  PROG=env_args
  ARGS=(first "two words" "" "ünïcödé ✓" --flag=x -- "a=b" "*")
  ENVS=(GREETING=hello "WITH_EQUALS=a=b=c" EMPTY= UNICODE=ñ)
}
case_clock() { PROG=clock; }
case_random() { PROG=random; }
case_stdio() { PROG=stdio; printf 'one\ntwo\nthree\n' >"$T/stdin"; STDIN=$T/stdin; }
case_exit_0() { PROG=exit_code; ARGS=(exit0); }
case_exit_3() { PROG=exit_code; ARGS=(exit3); }
case_exit_42() { PROG=exit_code; ARGS=(exit42); }
case_exit_255() { PROG=exit_code; ARGS=(exit255); }
case_exit_return_0() { PROG=exit_code; ARGS=(return0); }
case_exit_return_7() { PROG=exit_code; ARGS=(return7); }
case_exit_trap() { PROG=exit_code; ARGS=(trap); }
case_exit_abort() { PROG=exit_code; ARGS=(abort); }
case_rust_fs() { PROG=rust_fs; DIRS=("${SANDBOX[@]}"); }
host_rust_fs() {
  cd "$T/sandbox" || return
  cat rust_out.txt
  stat -c '%n %h' hello.txt
  [[ -e r ]] && echo "r still exists"
  od -An -c seek.bin | tr -s ' '
}
case_rust_env() {
  PROG=rust_env
  ARGS=(one "two three" "")
  ENVS=(A=1 B=two=2)
  printf 'abc\nhello world\n\nlast line without newline' >"$T/stdin"; STDIN=$T/stdin; STDIN_PIPE=1
}
case_rust_exit() { PROG=rust_env; ARGS=(exit 42); }
case_rust_panic() { PROG=rust_env; ARGS=(panic); }
case_rust_sandbox() { PROG=rust_sandbox; DIRS=("${SANDBOX[@]}"); ARGS=("$T/outside/secret.txt"); }
case_rust_cat() {
  PROG=rust_cat; STDOUT=skip
  { seq 1 100000; cat "$T/sandbox/binary.bin" "$T/sandbox/big.txt"; } >"$T/stdin"
  STDIN=$T/stdin; STDIN_PIPE=1
}
host_rust_cat() { cmp "$T/stdin" "$T/out" && echo "stdout identical to stdin ($(stat -c %s "$T/out") bytes)"; }
case_missing_preopen() { PROG=env_args; DIRS=("no_such_dir::/x"); }

ALL_CASES=(fs_read fs_write fs_seek fs_dir fs_link fs_stat sandbox wasi_fd env_args clock random stdio
           exit_0 exit_3 exit_42 exit_255 exit_return_0 exit_return_7 exit_trap exit_abort
           rust_fs rust_env rust_exit rust_panic rust_sandbox rust_cat missing_preopen)

# --- runner ------------------------------------------------------------------------
passed=0
failed=()

run_case() {
  local name=$1
  T=$WORK/$name
  mkdir -p "$T"
  PROG= ARGS=() ENVS=() DIRS=() STDIN=/dev/null STDIN_PIPE=0 STDOUT=
  make_fixture "$T"
  "case_$name"
  local wasm=$GUESTS/wasi_$PROG.wasm
  local problems=()
  if [[ ! -f $wasm ]]; then
    echo "FAIL $name: $wasm was not built"
    failed+=("$name")
    return
  fi
  local cmd=("$PELATO" run)
  local d
  for d in "${DIRS[@]}"; do cmd+=(--dir "$T/${d%%::*}::${d#*::}"); done
  for d in "${ENVS[@]}"; do cmd+=(--env "$d"); done
  cmd+=("$wasm" "${ARGS[@]}")

  local before code
  before=$(outside_state "$T")
  # HOME and PATH are set on the host so that env_args can check they do not leak in.
  if [[ $STDIN_PIPE == 1 ]]; then
    cat "$STDIN" | (cd "$T" && HOME=/root PATH=/usr/bin:/bin timeout 60 "${cmd[@]}") >"$T/out" 2>"$T/err"
    code=${PIPESTATUS[1]}
  else
    (cd "$T" && HOME=/root PATH=/usr/bin:/bin timeout 60 "${cmd[@]}") <"$STDIN" >"$T/out" 2>"$T/err"
    code=$?
  fi

  local want_code
  want_code=$(cat "$EXPECTED/$name.code" 2>/dev/null) || problems+=("missing expected/$name.code")
  if [[ -n ${want_code:-} && $code != "$want_code" ]]; then
    problems+=("exit code $code, expected $want_code")
  fi
  if [[ $STDOUT != skip ]]; then
    if [[ ! -f $EXPECTED/$name.stdout ]]; then
      problems+=("missing expected/$name.stdout")
    elif ! diff -u "$EXPECTED/$name.stdout" "$T/out" >"$T/diff"; then
      problems+=("stdout differs:"$'\n'"$(sed 's/^/    /' "$T/diff")")
    fi
  fi
  if [[ -f $EXPECTED/$name.stderr.grep ]]; then
    local line
    while IFS= read -r line; do
      grep -qF -- "$line" "$T/err" || problems+=("stderr lacks: $line")
    done <"$EXPECTED/$name.stderr.grep"
  else
    local want_err=/dev/null
    [[ -f $EXPECTED/$name.stderr ]] && want_err=$EXPECTED/$name.stderr
    if ! diff -u "$want_err" "$T/err" >"$T/diff"; then
      problems+=("stderr differs:"$'\n'"$(sed 's/^/    /' "$T/diff")")
    fi
  fi
  if declare -F "host_$name" >/dev/null; then
    ("host_$name") >"$T/host" 2>&1
    if [[ ! -f $EXPECTED/$name.host ]]; then
      problems+=("missing expected/$name.host")
    elif ! diff -u "$EXPECTED/$name.host" "$T/host" >"$T/diff"; then
      problems+=("host-side check differs:"$'\n'"$(sed 's/^/    /' "$T/diff")")
    fi
  fi
  if [[ "$(outside_state "$T")" != "$before" ]]; then
    problems+=("outside/ changed: the guest reached outside its sandbox")
  fi

  if [[ ${#problems[@]} -eq 0 ]]; then
    echo "PASS $name"
    passed=$((passed + 1))
  else
    echo "FAIL $name: $(printf '%q ' "${cmd[@]}")"
    local p
    for p in "${problems[@]}"; do echo "  $p"; done
    if [[ $STDOUT != skip ]]; then echo "  --- stderr:"; sed 's/^/    /' "$T/err" | head -20; fi
    failed+=("$name")
    if [[ ${PELATO_WASI_KEEP:-0} == 1 ]]; then
      echo "  (fixture kept in $T)"
      return
    fi
  fi
  rm -rf "$T"
}

cases=("$@")
[[ ${#cases[@]} -eq 0 ]] && cases=("${ALL_CASES[@]}")
for c in "${cases[@]}"; do
  if ! declare -F "case_$c" >/dev/null; then
    echo "unknown case $c" >&2
    exit 2
  fi
  run_case "$c"
done
rm -f /tmp/pelato_abs_created.txt 2>/dev/null

echo "$passed passed, ${#failed[@]} failed"
[[ ${#failed[@]} -eq 0 ]]
